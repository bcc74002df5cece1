use chrono::{NaiveDate, Utc};

use crate::client::encoding::rfc3339;

#[test]
fn date_times_are_rfc_3339_in_utc_with_only_the_fraction_they_have() {
    let day = NaiveDate::from_ymd_opt(2024, 1, 2).expect("date");
    let whole = day.and_hms_opt(3, 4, 5).expect("time").and_utc();
    assert_eq!(rfc3339(&whole), "2024-01-02T03:04:05Z");
    let millis = day.and_hms_milli_opt(3, 4, 5, 120).expect("time").and_utc();
    assert_eq!(rfc3339(&millis), "2024-01-02T03:04:05.120Z");
    let _: chrono::DateTime<Utc> = whole;
}
