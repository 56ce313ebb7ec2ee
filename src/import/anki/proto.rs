//! The few protobuf messages of Anki's files that the importer reads, declared by hand with only
//! the fields it needs; prost skips the rest.

/// The `meta` entry of a current package.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PackageMetadata {
    /// 1 = collection.anki2, 2 = collection.anki21, 3 = collection.anki21b (zstd).
    #[prost(int32, tag = "1")]
    pub version: i32,
}

/// The `media` entry of a current package (zstd-compressed).
#[derive(Clone, PartialEq, prost::Message)]
pub struct MediaEntries {
    #[prost(message, repeated, tag = "1")]
    pub entries: Vec<MediaEntry>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MediaEntry {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(uint32, tag = "2")]
    pub size: u32,
    /// The zip entry holding the file, when it is not the entry's index.
    #[prost(uint32, optional, tag = "255")]
    pub legacy_zip_filename: Option<u32>,
}

/// `notetypes.config`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NotetypeConfig {
    /// 0 = normal, 1 = cloze.
    #[prost(int32, tag = "1")]
    pub kind: i32,
}

/// `templates.config`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TemplateConfig {
    #[prost(string, tag = "1")]
    pub q_format: String,
    #[prost(string, tag = "2")]
    pub a_format: String,
}
