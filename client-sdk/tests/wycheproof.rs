//! Wycheproof vectors for the primitives the crypto core wraps: AES-256-GCM (12-byte nonces,
//! 16-byte tags, as used), X25519 through `MemberKeys::agree`, and Ed25519 verification
//! through the strict verifier. "Acceptable" results are honoured as documented below.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use anoghost_sdk::crypto::identity::{verify, MemberKeys};
use anoghost_sdk::crypto::CryptoError;
use wycheproof::TestResult;

#[test]
fn aes_256_gcm_matches_wycheproof() {
    let set = wycheproof::aead::TestSet::load(wycheproof::aead::TestName::AesGcm).unwrap();
    let mut checked = 0;
    for group in set.test_groups {
        if group.key_size != 256 || group.nonce_size != 96 || group.tag_size != 128 {
            continue;
        }
        for test in group.tests {
            let cipher = Aes256Gcm::new_from_slice(&test.key).unwrap();
            let mut sealed = test.ct.to_vec();
            sealed.extend_from_slice(&test.tag);
            let opened = cipher.decrypt(
                Nonce::from_slice(&test.nonce),
                Payload {
                    msg: &sealed,
                    aad: &test.aad,
                },
            );
            match test.result {
                TestResult::Valid => {
                    assert_eq!(opened.as_deref(), Ok(&test.pt[..]), "tc {}", test.tc_id);
                    let encrypted = cipher
                        .encrypt(
                            Nonce::from_slice(&test.nonce),
                            Payload {
                                msg: &test.pt,
                                aad: &test.aad,
                            },
                        )
                        .unwrap();
                    assert_eq!(encrypted, sealed, "tc {}", test.tc_id);
                }
                // AES-GCM has no "acceptable" cases at these sizes; anything else must fail.
                TestResult::Invalid | TestResult::Acceptable => {
                    assert!(opened.is_err(), "tc {} must be refused", test.tc_id)
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} AES-256-GCM cases ran");
}

#[test]
fn x25519_matches_wycheproof() {
    let set = wycheproof::xdh::TestSet::load(wycheproof::xdh::TestName::X25519).unwrap();
    let mut checked = 0;
    for group in set.test_groups {
        for test in group.tests {
            let (Ok(private), Ok(public)) = (
                <[u8; 32]>::try_from(&test.private_key[..]),
                <[u8; 32]>::try_from(&test.public_key[..]),
            ) else {
                // Keys of other lengths cannot reach `agree`: its inputs are [u8; 32].
                assert_ne!(test.result, TestResult::Valid, "tc {}", test.tc_id);
                continue;
            };
            let ours = MemberKeys::from_secrets(private, [0; 32]).agree(&public);
            let zero_shared = test.shared_secret.iter().all(|b| *b == 0);
            match test.result {
                TestResult::Valid => {
                    assert_eq!(
                        ours.as_deref().ok(),
                        Some(&test.shared_secret[..]).map(|s| <&[u8; 32]>::try_from(s).unwrap()),
                        "tc {}",
                        test.tc_id
                    )
                }
                // Acceptable cases are low-order or non-canonical public keys. Policy: refuse
                // exactly those whose shared secret is all zeros (contributory behaviour, so no
                // peer can force a known key); compute the rest as RFC 7748 says.
                TestResult::Acceptable if zero_shared => {
                    assert_eq!(ours.err(), Some(CryptoError::WeakKey), "tc {}", test.tc_id)
                }
                TestResult::Acceptable => {
                    assert_eq!(
                        ours.as_deref().map(|s| s.to_vec()).ok(),
                        Some(test.shared_secret.to_vec()),
                        "tc {}",
                        test.tc_id
                    )
                }
                TestResult::Invalid => assert!(ours.is_err(), "tc {}", test.tc_id),
            }
            checked += 1;
        }
    }
    assert!(checked > 400, "only {checked} X25519 cases ran");
}

#[test]
fn ed25519_verification_matches_wycheproof() {
    let set = wycheproof::eddsa::TestSet::load(wycheproof::eddsa::TestName::Ed25519).unwrap();
    let mut checked = 0;
    for group in set.test_groups {
        let Ok(public) = <[u8; 32]>::try_from(&group.key.pk[..]) else {
            continue;
        };
        for test in group.tests {
            let result = verify(&public, &test.msg, &test.sig);
            match test.result {
                TestResult::Valid => assert_eq!(result, Ok(()), "tc {}", test.tc_id),
                // Strict verification refuses every malleable or non-canonical form.
                TestResult::Invalid | TestResult::Acceptable => {
                    assert!(result.is_err(), "tc {} must be refused", test.tc_id)
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} Ed25519 cases ran");
}
