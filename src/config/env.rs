//! Environment overrides of `polywire.toml`: `POLYWIRE__<SECTION>__<KEY>`
//! sets `[section] key`, e.g. `POLYWIRE__SERVER__LISTEN=0.0.0.0:8080` or
//! `POLYWIRE__STORE__PATH=/var/lib/polywire/polywire.db`. Names are
//! upper-case, with double underscores between section and key because
//! keys contain single ones (`POLYWIRE__SERVER__CACHE_CONTROL`).
//!
//! A value is read as a TOML value when it is one (`8`, `true`,
//! `["*"]`), else as a string. Containers and services configure through
//! these instead of editing the file, so an unknown name is an error,
//! like an unknown key in the file.

use super::{ConfigError, ConfigErrors, DaemonConfig};
use serde::Deserialize;
use std::path::Path;

/// Prefix of every override.
pub const PREFIX: &str = "POLYWIRE__";

/// The daemon settings of `text` with the overrides among `vars` applied.
pub fn daemon_with_overrides(
    file: &Path,
    text: &str,
    vars: impl IntoIterator<Item = (String, String)>,
) -> Result<DaemonConfig, ConfigErrors> {
    let overrides: Vec<(String, String)> = vars
        .into_iter()
        .filter(|(name, _)| name.starts_with(PREFIX))
        .collect();
    if overrides.is_empty() {
        return super::parse_toml(file, text);
    }
    // The file alone first, so its own errors keep their line numbers.
    let _: DaemonConfig = super::parse_toml(file, text)?;
    let mut table: toml::Table = super::parse_toml(file, text)?;
    let env = Path::new("environment");
    for (name, value) in overrides {
        let path = &name[PREFIX.len()..];
        let Some((section, key)) = path.split_once("__") else {
            return Err(ConfigError::file(
                env,
                format!("`{name}`: expected {PREFIX}<SECTION>__<KEY>"),
            )
            .into());
        };
        let section = table
            .entry(section.to_ascii_lowercase())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        let Some(section) = section.as_table_mut() else {
            return Err(ConfigError::file(env, format!("`{name}`: not a section")).into());
        };
        section.insert(key.to_ascii_lowercase(), value_of(&value));
    }
    DaemonConfig::deserialize(toml::Value::Table(table))
        .map_err(|e| ConfigError::file(env, format!("{PREFIX}* overrides: {e}")).into())
}

/// `value` as TOML if it parses as a value, else as a string.
fn value_of(value: &str) -> toml::Value {
    format!("v = {value}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, vars: &[(&str, &str)]) -> Result<DaemonConfig, ConfigErrors> {
        daemon_with_overrides(
            Path::new("polywire.toml"),
            text,
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        )
    }

    #[test]
    fn overrides_set_keys_of_any_type() {
        let config = load(
            "[server]\nlisten = \"127.0.0.1:8080\"\n",
            &[
                ("POLYWIRE__SERVER__LISTEN", "0.0.0.0:8080"),
                ("POLYWIRE__SERVER__MAX_CONCURRENT_RENDERS", "3"),
                ("POLYWIRE__SERVER__CORS_ORIGINS", "[\"https://a.example\"]"),
                ("POLYWIRE__STORE__PATH", "/var/lib/polywire/polywire.db"),
                ("POLYWIRE_CONFIG", "ignored: not an override"),
            ],
        )
        .unwrap();
        assert_eq!(config.server.listen, "0.0.0.0:8080");
        assert_eq!(config.server.max_concurrent_renders, 3);
        assert_eq!(config.server.cors_origins, vec!["https://a.example"]);
        assert_eq!(
            config.store.path,
            Path::new("/var/lib/polywire/polywire.db")
        );
    }

    #[test]
    fn unknown_or_malformed_names_are_errors() {
        assert!(load("", &[("POLYWIRE__SERVER__LISTN", "x")]).is_err());
        assert!(load("", &[("POLYWIRE__SERVER", "x")]).is_err());
        assert!(load("", &[("POLYWIRE__SERVER__MAX_CONCURRENT_RENDERS", "many")]).is_err());
        assert!(load("", &[]).is_ok());
    }
}
