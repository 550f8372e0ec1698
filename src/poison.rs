//! Locks that stay usable after a panic.
//!
//! A thread that panics while holding a `std::sync::Mutex` poisons it, and
//! every later `lock()` returns an error. Each value polywire keeps behind a
//! mutex (the store connection, the write queue, caches, registries) is
//! consistent between statements, so a panic in one story must not stop
//! the daemon: the lock is taken anyway.

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, recovering it if a panicking holder poisoned it.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_lock_is_still_taken() {
        let mutex = std::sync::Arc::new(Mutex::new(1));
        let holder = mutex.clone();
        let _ = std::thread::spawn(move || {
            let _guard = holder.lock().unwrap();
            panic!("poisons the lock");
        })
        .join();
        assert!(mutex.is_poisoned());
        *lock(&mutex) += 1;
        assert_eq!(*lock(&mutex), 2);
    }
}
