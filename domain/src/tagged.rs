//! Reading an adjacently tagged enum (`{"type": …, "data": …}`, as [`crate::Event`] is)
//! from its tag and the JSON text of its data, without first building that document.
//!
//! A replay decodes millions of stored events, each kept as a type name and a payload
//! text. Joining them into one tagged document cost a copy of every payload; here the
//! enum's own `Deserialize` is handed a map of two entries whose `data` value is read
//! straight from the payload text.

use serde::Deserialize;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};

/// Deserializes `T` as serde_json would from `{"type": tag, "data": data}`.
pub(crate) fn from_tag_and_data<'de, T: Deserialize<'de>>(
    tag: &'de str,
    data: &'de str,
) -> Result<T, serde_json::Error> {
    T::deserialize(Tagged { tag, data })
}

/// The two-entry document, never written out.
struct Tagged<'de> {
    tag: &'de str,
    data: &'de str,
}

impl<'de> Deserializer<'de> for Tagged<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(Entries {
            tagged: self,
            taken: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map struct
        enum identifier ignored_any
    }
}

/// The entries `type` then `data`; `taken` counts the values handed out.
struct Entries<'de> {
    tagged: Tagged<'de>,
    taken: u8,
}

impl<'de> MapAccess<'de> for Entries<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let key = match self.taken {
            0 => "type",
            1 => "data",
            _ => return Ok(None),
        };
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        self.taken += 1;
        if self.taken == 1 {
            return seed.deserialize(BorrowedStrDeserializer::new(self.tagged.tag));
        }
        let mut data = serde_json::Deserializer::from_str(self.tagged.data);
        let value = seed.deserialize(&mut data)?;
        data.end()?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "type", content = "data")]
    enum Sample {
        Said(Said),
        Nothing,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Said {
        text: String,
        count: u32,
    }

    fn joined(tag: &str, data: &str) -> Result<Sample, serde_json::Error> {
        serde_json::from_str(&format!(r#"{{"type":"{tag}","data":{data}}}"#))
    }

    #[test]
    fn reads_what_the_joined_document_reads() {
        let data = r#"{"count":2,"text":"选址 \"甲\"\n"}"#;
        let read: Sample = from_tag_and_data("Said", data).expect("reads");
        assert_eq!(read, joined("Said", data).expect("reads"));
        assert_eq!(
            read,
            Sample::Said(Said {
                text: "选址 \"甲\"\n".into(),
                count: 2
            })
        );
        let unit: Sample = from_tag_and_data("Nothing", "null").expect("reads");
        assert_eq!(unit, Sample::Nothing);
    }

    #[test]
    fn refuses_what_the_joined_document_refuses() {
        for (tag, data) in [
            ("Unknown", r#"{"count":2,"text":"x"}"#),
            ("Said", r#"{"count":"two","text":"x"}"#),
            ("Said", r#"{"count":2,"text":"x"} trailing"#),
            ("Said", r#"{"count":2"#),
        ] {
            assert!(joined(tag, data).is_err(), "{tag} {data}");
            assert!(
                from_tag_and_data::<Sample>(tag, data).is_err(),
                "{tag} {data}"
            );
        }
    }
}
