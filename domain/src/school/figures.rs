//! The raw figures of one school stage's survey, one per column of the statistics table.
//!
//! [`Field`] names each figure with the header that always identifies it in a survey
//! table (学校名称 etc. are the row's identity, not figures, and live in the importer).

use serde::{Deserialize, Serialize};

/// A figure as read from the table: finite and not negative. Compared by its bits, so
/// that events holding figures can be `Eq` (two cells equal as text are equal here).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Num(pub f64);

impl PartialEq for Num {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for Num {}

macro_rules! figures {
    ($($(#[$doc:meta])* $field:ident, $variant:ident, $header:literal, $integer:literal;)*) => {
        /// One figure of a survey.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field {
            $($(#[$doc])* $variant,)*
        }

        impl Field {
            /// Every figure, in the order of the statistics table.
            pub const ALL: &'static [Field] = &[$(Field::$variant,)*];

            /// The table header that names it, e.g. 在校学生数.
            pub fn header(self) -> &'static str {
                match self { $(Field::$variant => $header,)* }
            }

            /// Whether the figure counts something (students, teachers, rooms) and so
            /// must be a whole number.
            pub fn is_count(self) -> bool {
                match self { $(Field::$variant => $integer,)* }
            }

            /// The figure a header names, if any.
            pub fn from_header(header: &str) -> Option<Field> {
                match header.trim() { $($header => Some(Field::$variant),)* _ => None }
            }
        }

        /// The raw figures of one school stage.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct Figures {
            $($(#[$doc])* pub $field: Num,)*
        }

        impl Figures {
            /// One figure.
            pub fn get(&self, field: Field) -> f64 {
                match field { $(Field::$variant => self.$field.0,)* }
            }

            /// Replaces one figure (a what-if, or the importer filling a row).
            pub fn set(&mut self, field: Field, value: f64) {
                match field { $(Field::$variant => self.$field = Num(value),)* }
            }
        }
    };
}

figures! {
    /// 在校学生数.
    students, Students, "在校学生数", true;
    /// 教学班数.
    classes, Classes, "教学班数", true;
    /// 最大班额: the largest class.
    max_class_size, MaxClassSize, "最大班额", true;
    /// 专任教师数.
    teachers, Teachers, "专任教师数", true;
    /// 高于规定学历教师数.
    qualified_teachers, QualifiedTeachers, "高于规定学历教师数", true;
    /// 县级及以上骨干教师数.
    backbone_teachers, BackboneTeachers, "县级及以上骨干教师数", true;
    /// 体育专任教师数.
    pe_teachers, PeTeachers, "体育专任教师数", true;
    /// 音乐专任教师数.
    music_teachers, MusicTeachers, "音乐专任教师数", true;
    /// 美术专任教师数.
    art_teachers, ArtTeachers, "美术专任教师数", true;
    /// 教学及辅助用房面积 (㎡).
    room_area, RoomArea, "教学及辅助用房面积", false;
    /// 体育运动场馆面积 (㎡).
    sports_area, SportsArea, "体育运动场馆面积", false;
    /// 教学仪器设备值 (元).
    equipment_value, EquipmentValue, "教学仪器设备值", false;
    /// 网络多媒体教室数.
    multimedia_rooms, MultimediaRooms, "网络多媒体教室数", true;
    /// 音乐专用教室间数.
    music_rooms, MusicRooms, "音乐专用教室间数", true;
    /// 音乐专用教室最小面积 (㎡): the smallest music room.
    music_room_area, MusicRoomArea, "音乐专用教室最小面积", false;
    /// 美术专用教室间数.
    art_rooms, ArtRooms, "美术专用教室间数", true;
    /// 美术专用教室最小面积 (㎡): the smallest art room.
    art_room_area, ArtRoomArea, "美术专用教室最小面积", false;
}

impl Figures {
    /// Why a figure cannot be recorded: not finite, negative, or a fraction of a count.
    pub fn check(&self) -> Result<(), (Field, String)> {
        for &field in Field::ALL {
            let value = self.get(field);
            if !value.is_finite() || value < 0.0 {
                return Err((field, format!("{value} is not a number of 0 or more")));
            }
            if field.is_count() && value.fract() != 0.0 {
                return Err((field, format!("{value} is not a whole number")));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_round_trips_through_its_header_and_its_slot() {
        let mut figures = Figures::default();
        for (i, &field) in Field::ALL.iter().enumerate() {
            assert_eq!(Field::from_header(field.header()), Some(field));
            figures.set(field, i as f64 + 1.0);
        }
        for (i, &field) in Field::ALL.iter().enumerate() {
            assert_eq!(figures.get(field), i as f64 + 1.0);
        }
        assert_eq!(Field::ALL.len(), 17);
        assert_eq!(Field::from_header("学校名称"), None);
    }

    #[test]
    fn check_refuses_negative_infinite_and_fractional_counts() {
        let mut figures = Figures::default();
        assert!(figures.check().is_ok());
        figures.set(Field::RoomArea, 12.5);
        assert!(figures.check().is_ok());
        figures.set(Field::Students, 12.5);
        assert_eq!(figures.check().unwrap_err().0, Field::Students);
        figures.set(Field::Students, 12.0);
        figures.set(Field::SportsArea, -1.0);
        assert_eq!(figures.check().unwrap_err().0, Field::SportsArea);
        figures.set(Field::SportsArea, f64::NAN);
        assert_eq!(figures.check().unwrap_err().0, Field::SportsArea);
    }
}
