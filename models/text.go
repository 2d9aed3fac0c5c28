package models

import (
	"mime"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on text fields, counted in characters (Unicode code points), never in bytes.
const (
	// MaxNameLen bounds names and short labels: people, regions, periods, areas, a signatory's
	// printed name and title, the place a commitment is signed.
	MaxNameLen = 200
	// MaxTitleLen bounds titles: an indicator's, a commitment template's.
	MaxTitleLen = 500
	// MaxEmailLen bounds an e-mail address (the longest path SMTP allows, RFC 5321).
	MaxEmailLen = 254
	// MaxSecretLen bounds passwords and signing passphrases.
	MaxSecretLen = 1000
	// MaxCodeLen bounds keys an admin names: zone keys.
	MaxCodeLen = 40
	// MaxLineLen bounds a letterhead line.
	MaxLineLen = 300
	// MaxLegalBasisLen bounds the legal basis of a delegation.
	MaxLegalBasisLen = 1000
	// MaxNoteLen bounds notes, comments and reasons.
	MaxNoteLen = 4000
	// MaxDocumentTextLen bounds a passage of the commitment template.
	MaxDocumentTextLen = 20000
	// MaxFileNameLen bounds a stored file name; longer ones are shortened (see CleanFileName).
	MaxFileNameLen = 200
	// MaxUserAgentLen bounds the user agent kept with a session; longer ones are shortened.
	MaxUserAgentLen = 300
)

// Message keys for text that does not fit a field.
const (
	// KeyInvalidText: not valid UTF-8, or holds a NUL character — text no database stores.
	KeyInvalidText = "invalid_text"
	// KeyTooLong: more characters than the field allows.
	KeyTooLong = "too_long"
)

// ValidText reports whether s is text every database stores: valid UTF-8 without NUL.
func ValidText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// TextProblem returns the message key of what makes s unfit for a field of at most max
// characters (KeyInvalidText or KeyTooLong), or "" when it fits.
func TextProblem(s string, max int) string {
	switch {
	case !ValidText(s):
		return KeyInvalidText
	case utf8.RuneCountInString(s) > max:
		return KeyTooLong
	}
	return ""
}

// CheckText returns a validation error naming field when s does not fit it, else nil.
func CheckText(field, s string, max int) error {
	if key := TextProblem(s, max); key != "" {
		return Invalid(field, key)
	}
	return nil
}

// text records under field what makes s unfit for it, if anything, and reports whether it fits.
func (f fieldErrors) text(field, s string, max int) bool {
	if key := TextProblem(s, max); key != "" {
		f.add(field, key)
		return false
	}
	return true
}

// requiredText is text for a field that may not be empty.
func (f fieldErrors) requiredText(field, s string, max int) bool {
	if s == "" {
		f.add(field, "required")
		return false
	}
	return f.text(field, s, max)
}

// ShortenText makes s storable text of at most max characters: invalid bytes and NULs are
// dropped, and it is cut at a character boundary.
func ShortenText(s string, max int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
	return firstChars(s, max)
}

// firstChars returns the first n characters of valid UTF-8 text.
func firstChars(s string, n int) string {
	if n <= 0 {
		return ""
	}
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// maxExtensionLen is the longest extension CleanFileName keeps when it shortens a name.
const maxExtensionLen = 16

// uploadName is an uploaded file's name made safe to store (CleanFileName); a name with
// nothing left becomes fallback with the usual extension of the file's content type.
func uploadName(name, fallback, contentType string) string {
	if name = CleanFileName(name, MaxFileNameLen); name != "" {
		return name
	}
	if ext, ok := usualExtension[contentType]; ok {
		return fallback + ext
	}
	if exts, _ := mime.ExtensionsByType(contentType); len(exts) > 0 {
		return fallback + exts[0]
	}
	return fallback
}

// usualExtension names the extension people expect where the mime package lists others first
// (for JPEG it lists ".jfif" before ".jpg").
var usualExtension = map[string]string{"image/jpeg": ".jpg"}

// CleanFileName makes an uploaded file's name safe to store and show: the last element of its
// path (either slash), without invalid bytes, control characters or bidirectional controls
// (U+202E could make "fdp.exe" read as "exe.pdf"), trimmed, and at most max characters, cut at
// a character boundary before the extension so that the extension stays. It may return "".
func CleanFileName(name string, max int) string {
	name = strings.ToValidUTF8(name, "")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(path.Base(strings.ReplaceAll(name, `\`, "/")))
	if name == "." || name == ".." || name == "/" {
		return ""
	}
	if utf8.RuneCountInString(name) <= max {
		return name
	}
	ext := path.Ext(name)
	if n := utf8.RuneCountInString(ext); n > maxExtensionLen || n >= max {
		ext = ""
	}
	stem := strings.TrimSuffix(name, ext)
	return strings.TrimSpace(firstChars(stem, max-utf8.RuneCountInString(ext))) + ext
}
