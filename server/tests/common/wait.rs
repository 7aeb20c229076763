//! Waits and time limits the tests share: polling until leftovers are gone
//! or a child has exited, and asserting how long something took.

use std::fmt::Debug;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_millis(20);

/// Polls `left` until it finds nothing; once `within` has passed, fails with
/// `what` and the last things it found.
pub fn until_empty<T: Debug>(within: Duration, what: &str, mut left: impl FnMut() -> Vec<T>) {
    let deadline = Instant::now() + within;
    loop {
        let found = left();
        if found.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: {found:?}");
        std::thread::sleep(POLL);
    }
}

/// Asserts that less than `limit` has passed since `started`; a failure
/// says how long it took.
pub fn assert_took_less(started: Instant, limit: Duration) {
    let took = started.elapsed();
    assert!(took < limit, "took {took:?}, the limit is {limit:?}");
}

/// Waits for `child` to exit by itself; fails if it still runs after
/// `within`.
pub fn for_exit(child: &mut Child, within: Duration) -> ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "pid {} did not exit within {within:?}",
            child.id()
        );
        std::thread::sleep(POLL);
    }
}
