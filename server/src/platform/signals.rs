//! The requests to stop that gord honours. Unix: SIGTERM, SIGINT and
//! (where asked) SIGHUP. Windows: Ctrl-C, Ctrl-Break and the console
//! closing (what a console program gets instead of signals).

/// A future that resolves when a request to stop arrives, with its name.
/// The watchers are registered now (inside a tokio runtime), so a request
/// that comes before the first poll still counts. `hangup` adds SIGHUP
/// (Unix) and the console closing (Windows). If none can be watched
/// (logged), it never resolves.
pub fn termination(hangup: bool) -> futures::future::BoxFuture<'static, &'static str> {
    let mut waits: Vec<futures::future::BoxFuture<'static, &'static str>> = Vec::new();
    for (name, wait) in watchers(hangup) {
        match wait {
            Ok(wait) => waits.push(wait),
            Err(e) => tracing::warn!("cannot handle {name}: {e}"),
        }
    }
    Box::pin(async move {
        if waits.is_empty() {
            return std::future::pending().await;
        }
        let (name, _, _) = futures::future::select_all(waits).await;
        name
    })
}

type Watcher = (
    &'static str,
    std::io::Result<futures::future::BoxFuture<'static, &'static str>>,
);

#[cfg(unix)]
fn watchers(hangup: bool) -> Vec<Watcher> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut kinds = vec![
        (SignalKind::terminate(), "SIGTERM"),
        (SignalKind::interrupt(), "SIGINT"),
    ];
    if hangup {
        kinds.push((SignalKind::hangup(), "SIGHUP"));
    }
    kinds
        .into_iter()
        .map(|(kind, name)| {
            let wait = signal(kind).map(|mut stream| {
                Box::pin(async move {
                    stream.recv().await;
                    name
                }) as futures::future::BoxFuture<'static, &'static str>
            });
            (name, wait)
        })
        .collect()
}

#[cfg(windows)]
fn watchers(hangup: bool) -> Vec<Watcher> {
    use futures::FutureExt;
    use tokio::signal::windows::{ctrl_break, ctrl_c, ctrl_close};
    let mut list: Vec<Watcher> = vec![
        (
            "Ctrl-C",
            ctrl_c()
                .map(|mut s| async move { s.recv().await.map_or("Ctrl-C", |()| "Ctrl-C") }.boxed()),
        ),
        (
            "Ctrl-Break",
            ctrl_break().map(|mut s| {
                async move { s.recv().await.map_or("Ctrl-Break", |()| "Ctrl-Break") }.boxed()
            }),
        ),
    ];
    if hangup {
        list.push((
            "console close",
            ctrl_close().map(|mut s| {
                async move { s.recv().await.map_or("console close", |()| "console close") }.boxed()
            }),
        ));
    }
    list
}

/// Sets `flag` when SIGINT, SIGTERM or SIGHUP arrives, for a synchronous
/// wait loop (`gord attach`). libc, not rustix: rustix installs signal
/// handlers only in its `runtime` module, meant for libc-free programs; std
/// and tokio need libc's.
#[cfg(unix)]
pub fn flag_on_stop_signals(flag: &'static std::sync::atomic::AtomicBool) {
    use std::sync::atomic::{AtomicPtr, Ordering};
    static FLAG: AtomicPtr<std::sync::atomic::AtomicBool> = AtomicPtr::new(std::ptr::null_mut());
    extern "C" fn request_stop(_signal: libc::c_int) {
        let flag = FLAG.load(Ordering::SeqCst);
        // SAFETY: FLAG only ever holds a `&'static AtomicBool` (or null).
        if let Some(flag) = unsafe { flag.as_ref() } {
            flag.store(true, Ordering::SeqCst);
        }
    }
    FLAG.store(std::ptr::from_ref(flag).cast_mut(), Ordering::SeqCst);
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: the handler only loads and stores atomics, which is
        // async-signal-safe.
        unsafe {
            libc::signal(signal, request_stop as *const () as libc::sighandler_t);
        }
    }
}

/// Windows: `gord attach` (the only user) runs on Linux only; nothing to set.
#[cfg(windows)]
pub fn flag_on_stop_signals(_flag: &'static std::sync::atomic::AtomicBool) {}
