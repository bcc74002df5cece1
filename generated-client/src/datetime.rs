// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! `format: date-time` values as parameters (only in crates whose API has
//! them, which depend on chrono).

use crate::client::encoding::RfcDateTime;

impl RfcDateTime for chrono::DateTime<chrono::Utc> {
    fn rfc3339(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}
