//! `events!`: the macro behind the event table in [`events`](super::events). From one line per
//! event it writes everything that lists the events, so that no list can fall out of step with
//! another: the [`Event`](super::Event) enum, the [`EventKind`](super::EventKind) enum with its
//! `ALL` list, the wire-name lookup, the type names and the decoder's dispatch.

/// Expands the event table. Each line is
///
/// ```text
/// Variant(PayloadType) = ["WireName", "OtherSpelling"] via reader,
/// ```
///
/// - `Variant` names the [`Event`](super::Event) and [`EventKind`](super::EventKind) variants
///   and is the `"type"` of the JSON form;
/// - `PayloadType` is the struct the payload decodes into (several events may share one);
/// - the wire names are the spellings Kick sends, without the `App\Events\` prefix and without
///   the `Event` suffix (both are optional on the wire: see `EventKind::from_name`);
/// - `via reader` is optional: a function `fn(&mut PayloadType, &[u8]) -> Result<(),
///   DecodeError>` for a payload that is not simply a JSON object read into the struct (the
///   default, [`object_into`](super::payload::object_into)).
macro_rules! events {
    ($(
        $variant:ident($ty:ty) = [$first:literal $(, $alias:literal)*] $(via $reader:path)?
    ),+ $(,)?) => {
        /// One decoded Kick event. The variant names are the `"type"` of the JSON form; each
        /// holds the struct it decodes into (documented there). The list is the table in
        /// `kick/events.rs`.
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        #[cfg_attr(feature = "serde", serde(tag = "type"))]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)] // events are owned and fixed-size on purpose: no allocator
        pub enum Event {
            $(
                #[doc = concat!("Kick's `", $first, "`", $(" (or `", $alias, "`)",)* ": see [`", stringify!($ty), "`].")]
                $variant($ty),
            )+
            /// An event whose name is not in the table: passed through, never an error.
            Unknown(Unknown),
        }

        /// Which event a name stands for. The list is the table in `kick/events.rs`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[non_exhaustive]
        pub enum EventKind {
            $(
                #[doc = concat!("Kick's `", $first, "`", $(" (or `", $alias, "`)",)* ".")]
                $variant,
            )+
            /// Any other name.
            Unknown,
        }

        impl EventKind {
            /// Every known kind (all but [`Unknown`](Self::Unknown)), in the order of the table.
            ///
            /// ```
            /// use kickwire_proto::kick::EventKind;
            /// assert_eq!(EventKind::ALL[0], EventKind::ChatMessage);
            /// assert!(!EventKind::ALL.contains(&EventKind::Unknown));
            /// ```
            pub const ALL: [Self; [$(stringify!($variant)),+].len()] = [$(Self::$variant),+];

            /// Looks up a wire name, with or without the `App\Events\` prefix and the `Event`
            /// suffix.
            ///
            /// ```
            /// use kickwire_proto::kick::EventKind;
            /// assert_eq!(EventKind::from_name("App\\Events\\ChatMessageEvent"), EventKind::ChatMessage);
            /// assert_eq!(EventKind::from_name("GiftedSubscriptionsEvent"), EventKind::GiftedSubscriptions);
            /// assert_eq!(EventKind::from_name("App\\Events\\StopStreamBroadcast"), EventKind::StreamEnd);
            /// assert_eq!(EventKind::from_name("pusher:ping"), EventKind::Unknown);
            /// ```
            #[must_use]
            pub fn from_name(name: &str) -> Self {
                let base = name.strip_prefix(PREFIX).unwrap_or(name);
                let base = base.strip_suffix("Event").unwrap_or(base);
                Self::from_base(base.as_bytes())
            }

            /// [`from_name`](Self::from_name) of a name as bytes: the typed decoder looks up
            /// a name where it lies in the message, which need not be checked as UTF-8 for
            /// that (no known name matches bytes that are not). Not in the browser's module,
            /// which has no typed decoder (the slice methods cost it 0.2 KB gzipped).
            #[cfg(not(target_arch = "wasm32"))]
            pub(crate) fn from_name_bytes(name: &[u8]) -> Self {
                let base = name.strip_prefix(PREFIX.as_bytes()).unwrap_or(name);
                let base = base.strip_suffix(b"Event").unwrap_or(base);
                Self::from_base(base)
            }

            /// The kind whose name (without prefix and suffix) is `base`. A table walked in
            /// order rather than a `match` on the strings, whose compiled length switch and
            /// comparisons were 1.1 KB of the browser's core module; one lookup per event,
            /// among a few dozen names. Natively the `(&str, EventKind)` pairs, whose lengths
            /// are at hand to compare before the bytes: the packed walk reads its way through
            /// every name's length byte, 66 instructions a frame more for the typed decoder
            /// on the bench corpus, and about 50 more for the baselines that look names up
            /// with `from_name`.
            #[cfg(not(target_arch = "wasm32"))]
            #[inline(always)]
            fn from_base(base: &[u8]) -> Self {
                NAMES
                    .iter()
                    .find(|(n, _)| n.as_bytes() == base)
                    .map_or(Self::Unknown, |&(_, kind)| kind)
            }

            /// See the other `from_base`: in the browser's module, the packed table.
            #[cfg(target_arch = "wasm32")]
            #[inline(always)]
            fn from_base(base: &[u8]) -> Self {
                Self::from_packed(base)
            }

            /// [`from_base`](Self::from_base) over the table packed into one run of bytes
            /// (`NAME_TABLE`) rather than kept as `(&str, EventKind)` pairs, 12 bytes each in
            /// the browser's module: 0.05 KB gzipped less of it. Natively only its tests use
            /// it.
            #[cfg_attr(not(any(test, target_arch = "wasm32")), allow(dead_code))]
            #[inline(always)]
            fn from_packed(base: &[u8]) -> Self {
                let mut rest: &[u8] = &NAME_TABLE;
                // The place in `ALL` of the kind of the name at hand, plus one.
                let mut kind = 0usize;
                while let [head, tail @ ..] = rest {
                    if head & ALIAS == 0 {
                        kind = kind.wrapping_add(1);
                    }
                    let len = usize::from(head & !ALIAS);
                    let (name, after) = tail.split_at_checked(len).unwrap_or((tail, &[]));
                    if name == base {
                        return Self::ALL.get(kind.wrapping_sub(1)).copied().unwrap_or(Self::Unknown);
                    }
                    rest = after;
                }
                Self::Unknown
            }

            /// The `"type"` name of this kind's events, as in the JSON form (`ChatMessage`,
            /// `StreamEnd`, ..., `Unknown`): the variant's name.
            ///
            /// ```
            /// use kickwire_proto::kick::EventKind;
            /// assert_eq!(EventKind::from_name("StopStreamBroadcast").type_name(), "StreamEnd");
            /// ```
            #[must_use]
            pub const fn type_name(self) -> &'static str {
                match self {
                    $(Self::$variant => stringify!($variant),)+
                    Self::Unknown => "Unknown",
                }
            }

            /// The names Kick sends this event under, without the `App\Events\` prefix and the
            /// `Event` suffix ([`from_name`](Self::from_name) takes each with or without them);
            /// none for [`Unknown`](Self::Unknown).
            ///
            /// ```
            /// use kickwire_proto::kick::EventKind;
            /// assert_eq!(EventKind::GoalCanceled.wire_names(), ["GoalCanceled", "GoalCancelled"]);
            /// assert_eq!(EventKind::StreamEnd.wire_names(), ["StopStreamBroadcast"]);
            /// ```
            #[must_use]
            pub const fn wire_names(self) -> &'static [&'static str] {
                match self {
                    $(Self::$variant => &[$first $(, $alias)*],)+
                    Self::Unknown => &[],
                }
            }
        }

        /// Every wire name (without prefix and suffix) with its kind, in the table's order.
        const NAMES: &[(&str, EventKind)] =
            &[$(($first, EventKind::$variant), $(($alias, EventKind::$variant),)*)+];

        /// In [`NAME_TABLE`], a name's length with this bit set: another spelling of the kind
        /// before (the others are each the next kind of `EventKind::ALL`).
        const ALIAS: u8 = 0x80;

        /// [`NAME_TABLE`]'s length: a byte for each name, and the name's.
        // Evaluated while building: an index out of bounds is a build error, not a panic.
        #[allow(clippy::indexing_slicing)]
        const NAME_TABLE_LEN: usize = {
            let mut n = 0;
            let mut i = 0;
            while i < NAMES.len() {
                n += 1 + NAMES[i].0.len();
                i += 1;
            }
            n
        };

        /// [`NAMES`] packed for `EventKind::from_base`: each name's length (with [`ALIAS`]
        /// for a kind's second spelling), then its bytes. `NAMES` lists the kinds in the order
        /// of `EventKind::ALL`, each one's spellings together, so a name's kind is the count of
        /// first spellings up to it.
        #[allow(clippy::indexing_slicing)] // as above: evaluated while building
        const NAME_TABLE: [u8; NAME_TABLE_LEN] = {
            let mut out = [0; NAME_TABLE_LEN];
            let mut at = 0;
            // First spellings so far: the kinds they stand for.
            let mut kinds = 0;
            let mut i = 0;
            while i < NAMES.len() {
                let (name, kind) = NAMES[i];
                let name = name.as_bytes();
                assert!(name.len() < ALIAS as usize, "a wire name's length fits 7 bits");
                // A first spelling is the next kind; a second one, the kind before.
                let first = i == 0 || NAMES[i - 1].1 as u8 != kind as u8;
                if first {
                    assert!(kind as usize == kinds, "the kinds in the order of `ALL`");
                    kinds += 1;
                }
                out[at] = name.len() as u8 | if first { 0 } else { ALIAS };
                at += 1;
                let mut k = 0;
                while k < name.len() {
                    out[at + k] = name[k];
                    k += 1;
                }
                at += name.len();
                i += 1;
            }
            out
        };

        impl Event {
            /// Which kind of event this is.
            #[must_use]
            pub const fn kind(&self) -> EventKind {
                match self {
                    $(Self::$variant(_) => EventKind::$variant,)+
                    Self::Unknown(_) => EventKind::Unknown,
                }
            }

            /// The `"type"` name of this event, as in the JSON form (`ChatMessage`, `StreamEnd`,
            /// ...).
            #[must_use]
            pub const fn type_name(&self) -> &'static str {
                self.kind().type_name()
            }

            /// Decodes into `self`, reusing its storage: the fast path for drivers that keep one
            /// event in place (events are several KB; moving them costs more than decoding a
            /// chat line). After an error `self` holds some valid but unspecified event.
            ///
            /// # Errors
            /// As [`decode`](Self::decode).
            pub fn decode_into(
                &mut self,
                kind: EventKind,
                name: &str,
                payload: &[u8],
            ) -> Result<(), DecodeError> {
                self.read_into(kind, name, &mut $crate::json::reader::Reader::new(payload))
            }

            /// [`decode_into`](Self::decode_into) with the payload read by `r`: plain JSON, or
            /// the one-pass reader over an envelope's `data` string as it arrived.
            pub(crate) fn read_into<const E: bool>(
                &mut self,
                kind: EventKind,
                name: &str,
                r: &mut $crate::json::reader::Reader<'_, E>,
            ) -> Result<(), DecodeError> {
                match kind {
                    $(EventKind::$variant => {
                        // Switches variant only when it must: a kept event of the same kind is
                        // reset in place by the reader instead of rebuilt.
                        if !matches!(self, Self::$variant(_)) {
                            // From the type's constant default, natively: building
                            // `Default::default()` first cost a memset and a copy of KB.
                            #[cfg(not(target_arch = "wasm32"))]
                            {
                                *self = Self::$variant(
                                    <$ty as $crate::json::field::Fresh>::FRESH,
                                );
                            }
                            #[cfg(target_arch = "wasm32")]
                            {
                                *self = Self::$variant(Default::default());
                            }
                        }
                        match self {
                            Self::$variant(v) => $crate::kick::table::reader!($($reader)?)(v, r),
                            _ => Ok(()),
                        }
                    })+
                    EventKind::Unknown => {
                        *self = Self::Unknown(Unknown {
                            name: Text::from_str_truncating(name),
                        });
                        Ok(())
                    }
                }
            }
        }

        /// What `read_into` writes when it switches variant natively is what it wrote before:
        /// each type's constant default is its `Default::default()`.
        #[cfg(test)]
        #[test]
        fn every_event_types_constant_default_is_its_default() {
            $(
                assert_eq!(
                    <$ty as $crate::json::field::Fresh>::FRESH,
                    <$ty>::default(),
                    stringify!($variant),
                );
            )+
        }
    };
}
pub(crate) use events;

/// The reader a table line names, or the default one.
macro_rules! reader {
    () => {
        $crate::kick::payload::object_into
    };
    ($reader:path) => {
        $reader
    };
}
pub(crate) use reader;
