//! Scheduling: cron expressions drive one task per source.
