//! Reading a server process's resident memory and CPU time from `/proc`.

/// Resident set size of `pid`, in KiB.
pub fn rss_kib(pid: u32) -> std::io::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .ok_or_else(|| std::io::Error::other("no VmRSS line"))
}

/// User plus system CPU time of `pid`, in seconds.
pub fn cpu_secs(pid: u32) -> std::io::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| std::io::Error::other("malformed stat"))?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the name.
    let ticks = |i: usize| -> std::io::Result<f64> {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .ok_or_else(|| std::io::Error::other("malformed stat"))
    };
    Ok((ticks(11)? + ticks(12)?) / clock_ticks_per_second())
}

/// `sysconf(_SC_CLK_TCK)` is 100 on every Linux this runs on.
fn clock_ticks_per_second() -> f64 {
    100.0
}

/// The soft and hard open-files limits of `pid` ("unlimited" reads as `u64::MAX`).
pub fn open_files_limit(pid: u32) -> std::io::Result<(u64, u64)> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits"))?;
    let malformed = || std::io::Error::other("no Max open files line");
    let line = limits
        .lines()
        .find_map(|line| line.strip_prefix("Max open files"))
        .ok_or_else(malformed)?;
    let mut values = line.split_whitespace().map(|value| match value {
        "unlimited" => Some(u64::MAX),
        number => number.parse().ok(),
    });
    let soft = values.next().flatten().ok_or_else(malformed)?;
    let hard = values.next().flatten().ok_or_else(malformed)?;
    Ok((soft, hard))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process_open_files_limit() {
        let (soft, hard) = open_files_limit(std::process::id()).unwrap();
        assert!(soft > 0 && soft <= hard, "soft {soft}, hard {hard}");
    }
}
