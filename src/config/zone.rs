//! A source's time zone, resolved once when its file is read.
//!
//! The IANA name is looked up in the system's time zone database as the
//! file is deserialized, and everything downstream (cron, date parsing)
//! gets the resolved zone rather than the name. An unknown name does not
//! fail deserialization, so that the loader can report it with its file
//! and line together with every other problem of the configuration
//! (`validate_source`); a configuration with one is never loaded.

use jiff::tz::TimeZone;
use serde::{Deserialize, Deserializer};

/// The `timezone` of a source file: its name and the zone it names.
#[derive(Debug, Clone)]
pub struct SourceZone {
    name: String,
    /// `None` when the name is unknown (the loader refuses the file).
    zone: Option<TimeZone>,
}

impl SourceZone {
    /// Resolves an IANA name (`Asia/Shanghai`).
    pub fn new(name: &str) -> SourceZone {
        SourceZone {
            name: name.to_string(),
            zone: TimeZone::get(name).ok(),
        }
    }

    /// The IANA name as written.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// Whether the name is a zone the database knows.
    pub fn is_known(&self) -> bool {
        self.zone.is_some()
    }

    /// The zone. A loaded configuration only holds known zones (the
    /// loader refuses unknown names), so the UTC here is only reached by a
    /// `SourceConfig` deserialized without the loader, as tests do.
    pub fn zone(&self) -> &TimeZone {
        static UTC: TimeZone = TimeZone::UTC;
        self.zone.as_ref().unwrap_or(&UTC)
    }
}

impl std::ops::Deref for SourceZone {
    type Target = str;

    fn deref(&self) -> &str {
        &self.name
    }
}

impl std::fmt::Display for SourceZone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

impl<'de> Deserialize<'de> for SourceZone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|name| SourceZone::new(&name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_once_and_unknown_ones_are_marked() {
        let tokyo = SourceZone::new("Asia/Tokyo");
        assert!(tokyo.is_known());
        assert_eq!(tokyo.zone().iana_name(), Some("Asia/Tokyo"));
        assert_eq!(&*tokyo, "Asia/Tokyo");
        let mars = SourceZone::new("Mars/Olympus");
        assert!(!mars.is_known());
        assert_eq!(mars.as_str(), "Mars/Olympus");
    }
}
