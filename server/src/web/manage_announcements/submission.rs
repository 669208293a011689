//! The announcement form as it arrives (multipart: text fields, up to four image files with
//! their alt texts, the images kept from before) and as it is shown again.
//!
//! Field names: `csrf`, `content`, `language`, `action` (`preview`, `publish` or `save`),
//! `when` (`now` or `later`), `publish_at` (`datetime-local`), `zone`; images already uploaded
//! come back as `media` (id) with `alt-{id}` and the checkbox `remove-{id}`; new ones are
//! `image{n}` with `alt{n}` (n = 1..4).

use std::collections::HashMap;

use axum::extract::multipart::Field;
use axum::extract::Multipart;

use crate::domain::error::AppError;

/// Longest text field (the announcement's Markdown is bounded by the domain below this).
const MAX_TEXT_BYTES: usize = 256 * 1024;

/// A file chosen in slot `slot`.
pub struct NewImage {
    pub slot: usize,
    pub bytes: Vec<u8>,
    /// True when the file was over the upload limit (its bytes were not kept).
    pub too_large: bool,
}

/// Everything the form sent.
#[derive(Default)]
pub struct Submission {
    texts: HashMap<String, String>,
    /// Ids of images uploaded before (hidden `media` fields), in order.
    pub kept: Vec<i64>,
    pub files: Vec<NewImage>,
}

impl Submission {
    /// Reads the whole form; a file over `max_file` is drained and marked, a body over
    /// four files and the text is refused with 413.
    pub async fn read(mut multipart: Multipart, max_file: usize) -> Result<Submission, AppError> {
        let mut out = Submission::default();
        let mut budget = max_file
            .saturating_mul(4)
            .saturating_add(MAX_TEXT_BYTES * 4);
        while let Some(mut field) = multipart
            .next_field()
            .await
            .map_err(|e| AppError::BadRequest(format!("the form does not parse: {e}")))?
        {
            let name = field.name().unwrap_or_default().to_string();
            let is_file = field.file_name().is_some();
            let slot = name
                .strip_prefix("image")
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| (1..=4).contains(n));
            match (is_file, slot) {
                (true, Some(slot)) => {
                    let (bytes, too_large) = read_field(&mut field, max_file, &mut budget).await?;
                    if too_large || !bytes.is_empty() {
                        out.files.push(NewImage {
                            slot,
                            bytes,
                            too_large,
                        });
                    }
                }
                _ => {
                    let (bytes, too_large) =
                        read_field(&mut field, MAX_TEXT_BYTES, &mut budget).await?;
                    if too_large {
                        return Err(AppError::TooLarge(format!("the field {name} is too long")));
                    }
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    if name == "media" {
                        if let Ok(id) = text.trim().parse() {
                            out.kept.push(id);
                        }
                    } else {
                        out.texts.insert(name, text);
                    }
                }
            }
        }
        out.files.sort_by_key(|f| f.slot);
        Ok(out)
    }

    /// A text field ("" when absent).
    pub fn text(&self, name: &str) -> &str {
        self.texts.get(name).map_or("", String::as_str)
    }

    /// Whether a checkbox was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.texts.contains_key(name)
    }
}

/// A field's bytes up to `max` (beyond it the rest is read and dropped, so the answer can
/// still reach the browser); `budget` bounds the whole body.
async fn read_field(
    field: &mut Field<'_>,
    max: usize,
    budget: &mut usize,
) -> Result<(Vec<u8>, bool), AppError> {
    let mut bytes = Vec::new();
    let mut too_large = false;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| AppError::BadRequest(format!("the form does not parse: {e}")))?
    {
        *budget = budget
            .checked_sub(chunk.len())
            .ok_or_else(|| AppError::TooLarge("the form is too large".into()))?;
        if too_large || bytes.len() + chunk.len() > max {
            too_large = true;
            bytes = Vec::new();
        } else {
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok((bytes, too_large))
}
