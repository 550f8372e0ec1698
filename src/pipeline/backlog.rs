//! How many stories the running source runs will still queue for the
//! store, so the writer can tell a run's last stories from the middle of
//! a bulk ingest (`StoreWriter::write_is_due` in writer.rs).
//!
//! Counted with guards, so a story that fails, is skipped or is dropped
//! half-way (shutdown) still stops counting, and a run that ends before
//! it even started some of its stories takes them off the count too.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Stories of every running run not yet queued for the store.
#[derive(Debug, Default)]
pub struct Backlog {
    upcoming: AtomicUsize,
}

impl Backlog {
    /// Stories that will still join the write queue.
    pub fn upcoming(&self) -> usize {
        self.upcoming.load(Ordering::Relaxed)
    }

    /// Counts a run's `stories` until each is handed over or the run ends.
    pub fn run(&self, stories: usize) -> RunBacklog<'_> {
        self.upcoming.fetch_add(stories, Ordering::Relaxed);
        RunBacklog {
            backlog: self,
            left: AtomicUsize::new(stories),
        }
    }
}

/// One run's part of the [`Backlog`]; what is left of it stops counting
/// when the run ends.
#[derive(Debug)]
pub struct RunBacklog<'a> {
    backlog: &'a Backlog,
    left: AtomicUsize,
}

impl RunBacklog<'_> {
    /// A ticket for one of the run's stories.
    pub fn story(&self) -> StoryTicket<'_> {
        StoryTicket { run: self }
    }
}

impl Drop for RunBacklog<'_> {
    fn drop(&mut self) {
        let left = *self.left.get_mut();
        self.backlog.upcoming.fetch_sub(left, Ordering::Relaxed);
    }
}

/// One story still to come; dropping it (when the story is queued for the
/// store, or when it ends any other way) takes it off the count.
#[derive(Debug)]
pub struct StoryTicket<'a> {
    run: &'a RunBacklog<'a>,
}

impl Drop for StoryTicket<'_> {
    fn drop(&mut self) {
        // A run hands out at most one ticket a story, so `left` stays
        // above zero until every ticket is dropped.
        let taken = self
            .run
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
        if taken.is_ok() {
            self.run.backlog.upcoming.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_and_runs_give_back_what_they_counted() {
        let backlog = Backlog::default();
        let first = backlog.run(3);
        let second = backlog.run(2);
        assert_eq!(backlog.upcoming(), 5);
        let ticket = first.story();
        drop(first.story());
        assert_eq!(backlog.upcoming(), 4);
        drop(ticket);
        assert_eq!(backlog.upcoming(), 3);
        // The run ends with one story never started: it stops counting.
        drop(first);
        assert_eq!(backlog.upcoming(), 2);
        drop(second);
        assert_eq!(backlog.upcoming(), 0);
    }

    #[test]
    fn more_tickets_than_stories_never_underflow() {
        let backlog = Backlog::default();
        let other = backlog.run(4);
        let run = backlog.run(1);
        drop(run.story());
        drop(run.story());
        assert_eq!(backlog.upcoming(), 4);
        drop(run);
        drop(other);
        assert_eq!(backlog.upcoming(), 0);
    }
}
