//! The fuzz targets (`targets`, one decoder per module, each stating the invariant it checks
//! at its top; `README.md` lists them) and what they share: byte-level damage to apply to a
//! well-formed encoding, and arbitrary JSON values.
//!
//! The targets are library functions so that two drivers run the same code: libFuzzer
//! through cargo-fuzz (`fuzz_targets/`, nightly, `scripts/fuzz.sh`), and the corpus replay
//! in the normal test suite (`tests/corpus.rs`, stable).

use arbitrary::{Arbitrary, Unstructured};
use serde_json::Value;

pub mod targets;

/// Runs `body` on the input `bytes` make, exactly as libfuzzer-sys's typed `fuzz_target!`
/// reads them: too few bytes for the type, or bytes that do not make one, are refused
/// (`false`, and libFuzzer keeps no such input).
pub fn structured<'a, T: Arbitrary<'a>>(bytes: &'a [u8], body: impl FnOnce(T)) -> bool {
    if bytes.len() < T::size_hint(0).0 {
        return false;
    }
    match T::arbitrary_take_rest(Unstructured::new(bytes)) {
        Ok(input) => {
            body(input);
            true
        }
        Err(_) => false,
    }
}

/// Damage done to a well-formed encoding, so the fuzzer explores the bytes just past each
/// check instead of bytes the first check refuses.
#[derive(Debug, Clone, Arbitrary)]
pub struct Damage {
    /// `(offset, xor)` pairs; offsets wrap around the encoding's length.
    pub flips: Vec<(u16, u8)>,
    /// Keep only this many bytes, if set (wraps around the length too).
    pub truncate: Option<u16>,
    /// Bytes appended at the end.
    pub append: Vec<u8>,
}

impl Damage {
    /// Whether applying this leaves every encoding as it was.
    pub fn is_none(&self) -> bool {
        self.flips.iter().all(|(_, xor)| *xor == 0)
            && self.truncate.is_none()
            && self.append.is_empty()
    }

    /// Applies the damage to `bytes`.
    pub fn apply(&self, bytes: &mut Vec<u8>) {
        if !bytes.is_empty() {
            for (offset, xor) in &self.flips {
                let at = usize::from(*offset) % bytes.len();
                bytes[at] ^= xor;
            }
        }
        if let Some(keep) = self.truncate {
            let keep = usize::from(keep) % (bytes.len() + 1);
            bytes.truncate(keep);
        }
        bytes.extend_from_slice(&self.append);
    }

    /// The damaged copy of `bytes`.
    pub fn applied(&self, bytes: &[u8]) -> Vec<u8> {
        let mut copy = bytes.to_vec();
        self.apply(&mut copy);
        copy
    }
}

/// Most levels of nesting an arbitrary JSON value has.
const JSON_DEPTH: u32 = 4;

/// An arbitrary JSON value, nested at most a few levels.
#[derive(Debug, Clone)]
pub struct Json(pub Value);

impl<'a> Arbitrary<'a> for Json {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        json_value(u, JSON_DEPTH).map(Json)
    }
}

fn json_value(u: &mut Unstructured<'_>, depth: u32) -> arbitrary::Result<Value> {
    let kinds = if depth == 0 { 6 } else { 8 };
    Ok(match u.int_in_range(0..=kinds - 1)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<u64>()?),
        3 => Value::from(u.arbitrary::<i64>()?),
        4 => serde_json::Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
        5 => Value::String(u.arbitrary()?),
        6 => {
            let len = u.int_in_range(0..=4)?;
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                items.push(json_value(u, depth - 1)?);
            }
            Value::Array(items)
        }
        _ => {
            let len = u.int_in_range(0..=4)?;
            let mut object = serde_json::Map::new();
            for _ in 0..len {
                let key: String = u.arbitrary()?;
                object.insert(key, json_value(u, depth - 1)?);
            }
            Value::Object(object)
        }
    })
}
