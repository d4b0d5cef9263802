//! `kick_struct!`: one place for the derives every event type carries.

/// Declares a public struct with the derives shared by all event types (Debug, Clone, Default,
/// PartialEq; `defmt::Format` and `serde::Serialize` behind their features), and
/// [`Reset`](crate::json::field::Reset) field by field.
macro_rules! kick_struct {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct $name {
            $($(#[$fm])* pub $field: $ty,)*
        }
        impl $crate::json::field::Reset for $name {
            fn reset(&mut self) {
                $($crate::json::field::Reset::reset(&mut self.$field);)*
            }
        }
        impl $crate::json::field::Fresh for $name {
            const FRESH: Self = Self {
                $($field: <$ty as $crate::json::field::Fresh>::FRESH,)*
            };
        }
    };
}
pub(crate) use kick_struct;
