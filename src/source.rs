//! The text of every loaded file, kept for the whole run so that any stage can point at
//! `path:line:col` and print an excerpt.

use std::ops::Range;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range inside one loaded file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(range.start),
            end: clamp(range.end.max(range.start)),
        }
    }

    /// The first byte of a file, for findings about a file as a whole.
    pub fn file_start(file: FileId) -> Self {
        Span::new(file, 0..0)
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One loaded file: its path relative to the repository root, with `/` separators, and its text
/// as parsed (a leading byte-order mark removed).
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
    /// The text for excerpts, with control characters shown as `?` (same byte offsets), when
    /// the text has any: a committed escape sequence must not drive the reader's terminal.
    display: Option<String>,
}

impl SourceFile {
    pub fn new(path: String, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let display = text.bytes().any(is_hidden_control).then(|| {
            text.chars()
                .map(|c| match u8::try_from(c) {
                    Ok(byte) if is_hidden_control(byte) => '?',
                    _ => c,
                })
                .collect()
        });
        SourceFile {
            path,
            text,
            line_starts,
            display,
        }
    }

    /// Zero-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte range of a zero-based line, without its line ending.
    pub fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(line)?;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        let end = if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        Some(start..end.max(start))
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |prefix| prefix.chars().count() + 1);
        (line + 1, column)
    }

    /// Byte offset of a one-based line and column (in characters); clamped to the text.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(range) = self.line_range(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line_text = &self.text[range.clone()];
        let within = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        range.start + within
    }
}

/// Every file of the run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX))
    }

    pub fn files(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// `path:line:col` of a span's start.
    pub fn location(&self, span: Span) -> String {
        let file = self.get(span.file);
        let (line, column) = file.line_col(span.start as usize);
        format!("{}:{line}:{column}", file.path)
    }

    /// `path:line` of a span's start.
    pub fn path_line(&self, span: Span) -> String {
        let file = self.get(span.file);
        let (line, _) = file.line_col(span.start as usize);
        format!("{}:{line}", file.path)
    }
}

impl<'a> codespan_reporting::files::Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.get(id).path)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        let file = self.get(id);
        Ok(file.display.as_deref().unwrap_or(&file.text))
    }

    fn line_index(
        &'a self,
        id: FileId,
        offset: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.get(id).line_index(offset))
    }

    fn line_range(
        &'a self,
        id: FileId,
        line: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let file = self.get(id);
        let start = file.line_starts.get(line).copied().ok_or(
            codespan_reporting::files::Error::LineTooLarge {
                given: line,
                max: file.line_starts.len().saturating_sub(1),
            },
        )?;
        let end = file
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(file.text.len());
        Ok(start..end)
    }
}

/// ASCII control characters other than tab and line endings.
fn is_hidden_control(byte: u8) -> bool {
    (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')) || byte == 0x7F
}

/// Text safe to print on a terminal: control characters (escape sequences, NUL, lone CR)
/// written as `\u{1b}` escapes, so committed text cannot drive the reader's terminal.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() && c != '\n' && c != '\t' {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Orders text the way people read ids: `CTL-2` before `CTL-10`. Runs of digits compare by
/// value; ties fall back to the plain text so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let mut left = a.as_bytes();
    let mut right = b.as_bytes();
    while let (Some(&x), Some(&y)) = (left.first(), right.first()) {
        let ordering = if x.is_ascii_digit() && y.is_ascii_digit() {
            let (number_a, rest_a) = split_digits(left);
            let (number_b, rest_b) = split_digits(right);
            left = rest_a;
            right = rest_b;
            let trimmed_a = trim_zeros(number_a);
            let trimmed_b = trim_zeros(number_b);
            trimmed_a
                .len()
                .cmp(&trimmed_b.len())
                .then(trimmed_a.cmp(trimmed_b))
        } else {
            left = &left[1..];
            right = &right[1..];
            x.cmp(&y)
        };
        if ordering.is_ne() {
            return ordering;
        }
    }
    left.len().cmp(&right.len()).then_with(|| a.cmp(b))
}

fn split_digits(text: &[u8]) -> (&[u8], &[u8]) {
    let end = text
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(text.len());
    text.split_at(end)
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let start = digits
        .iter()
        .position(|b| *b != b'0')
        .unwrap_or(digits.len());
    &digits[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_reads_numbers_as_numbers() {
        let mut ids = vec![
            "CTL-10",
            "CTL-2",
            "CTL-1",
            "CTL-02",
            "AM:GG2.GP10",
            "AM:GG2.GP9",
            "B",
        ];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            ids,
            [
                "AM:GG2.GP9",
                "AM:GG2.GP10",
                "B",
                "CTL-1",
                "CTL-02",
                "CTL-2",
                "CTL-10"
            ]
        );
    }

    #[test]
    fn line_and_column_count_characters_from_one() {
        let file = SourceFile::new("a.yaml".into(), "id: x\ntitle: é:b\n".into());
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(6), (2, 1));
        // "title: é:" -> the byte after é is column 9.
        let offset = file.text.find(":b").unwrap_or(0);
        assert_eq!(file.line_col(offset), (2, 9));
        assert_eq!(file.offset_of(2, 9), offset);
    }

    #[test]
    fn crlf_lines_exclude_the_carriage_return() {
        let file = SourceFile::new("a.yaml".into(), "a: 1\r\nb: 2\r\n".into());
        assert_eq!(file.line_range(0), Some(0..4));
        assert_eq!(file.line_col(6), (2, 1));
    }
}
