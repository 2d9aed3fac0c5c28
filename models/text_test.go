package models

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTextProblem(t *testing.T) {
	for _, c := range []struct {
		s    string
		max  int
		want string
	}{
		{"", 0, ""},
		{strings.Repeat("é", 200), 200, ""}, // 400 bytes, 200 characters
		{strings.Repeat("é", 201), 200, KeyTooLong},
		{"a\x00b", 200, KeyInvalidText},
		{"a\xffb", 200, KeyInvalidText},
		{"\xc3", 200, KeyInvalidText}, // half of "é"
		{strings.Repeat("é", 300) + "\x00", 10, KeyInvalidText},
		{"\u202e\U0001F600", 2, ""},
	} {
		if got := TextProblem(c.s, c.max); got != c.want {
			t.Errorf("TextProblem(%.20q, %d) = %q, want %q", c.s, c.max, got, c.want)
		}
	}
	if err := CheckText("name", "a\x00", 10); err == nil || err.(*ValidationError).Fields["name"] != KeyInvalidText {
		t.Errorf("CheckText: %v", err)
	}
	if err := CheckText("name", "ok", 10); err != nil {
		t.Errorf("CheckText: %v", err)
	}
}

func TestShortenText(t *testing.T) {
	for _, c := range []struct {
		s    string
		max  int
		want string
	}{
		{"Mozilla/5.0", 300, "Mozilla/5.0"},
		{strings.Repeat("é", 301), 300, strings.Repeat("é", 300)},
		{"a\x00b\xffc", 300, "abc"},
		{"abc", 0, ""},
	} {
		got := ShortenText(c.s, c.max)
		if got != c.want || !utf8.ValidString(got) {
			t.Errorf("ShortenText(%.20q, %d) = %.20q, want %.20q", c.s, c.max, got, c.want)
		}
	}
}

func TestCleanFileName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"sk.pdf", "sk.pdf"},
		{strings.Repeat("é", 150) + ".docx", strings.Repeat("é", 150) + ".docx"},
		{strings.Repeat("é", 250) + ".docx", strings.Repeat("é", 195) + ".docx"},
		{strings.Repeat("é", 250) + "." + strings.Repeat("x", 20), strings.Repeat("é", 200)}, // no such extension: cut as it is
		{"laporan\u202Efdp.exe", "laporanfdp.exe"},
		{"\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069a.pdf", "a.pdf"},
		{"a\x00b\x1f\x7f\u0085.pdf", "ab.pdf"},
		{"a\xff.pdf", "a.pdf"},
		{`..\..\windows\x.pdf`, "x.pdf"},
		{"../../etc/passwd", "passwd"},
		{"  spasi.pdf  ", "spasi.pdf"},
		{"..", ""},
		{"", ""},
		{"\u202E", ""},
		{strings.Repeat("a", 199) + "  .pdf", strings.Repeat("a", 196) + ".pdf"},
		{strings.Repeat("a", 195) + "      .pdf", strings.Repeat("a", 195) + ".pdf"},
	} {
		got := CleanFileName(c.in, MaxFileNameLen)
		if got != c.want {
			t.Errorf("CleanFileName(%.30q) = %.30q (%d characters), want %.30q", c.in, got, utf8.RuneCountInString(got), c.want)
		}
		if !ValidText(got) || utf8.RuneCountInString(got) > MaxFileNameLen {
			t.Errorf("CleanFileName(%.30q) = %.30q: not storable or too long", c.in, got)
		}
	}
}

// TestInputTextLimits: every text field of the inputs that validate without a database takes
// text up to its limit in characters and refuses one more character, a NUL and invalid UTF-8.
// (The inputs checked inside the store — patches, catalogue entries, commitments — are covered
// through the API by TestHostileTextIsRefused.)
func TestInputTextLimits(t *testing.T) {
	progress, ten := Hundred, int64(10)
	user := func(email, name, password string) error {
		in := UserInput{Email: email, Name: name, Role: RoleAdmin, Password: password}
		return in.Validate()
	}
	const pw = "0123456789"
	cases := []struct {
		field string
		limit int
		check func(s string) error
		// at and over are the texts at the limit and one character over it; "é" × limit by default.
		at, over string
	}{
		{field: "name", limit: MaxNameLen, check: func(s string) error {
			in := RegionInput{Code: "62.08", Name: s, Kind: KindRegency}
			return in.Validate()
		}},
		{field: "name", limit: MaxNameLen, check: func(s string) error { in := PeriodInput{Year: 2019, Name: s}; return in.Validate() }},
		{field: "note", limit: MaxNoteLen, check: func(s string) error { in := Claim{Progress: &progress, Note: &s}; return in.Validate() }},
		{field: "comment", limit: MaxNoteLen, check: func(s string) error { in := ReviewInput{Decision: DecisionReject, Comment: s}; return in.Validate() }},
		{field: "reason", limit: MaxNoteLen, check: func(s string) error { in := EvidenceReview{Status: EvidenceRejected, Reason: s}; return in.Validate() }},
		{field: "legal_basis", limit: MaxLegalBasisLen, check: func(s string) error {
			in := DelegationInput{Total: &ten, Delegated: &ten, LegalBasis: s}
			return in.Validate()
		}},
		{field: "government", limit: MaxLineLen, check: func(s string) error {
			in := LetterheadInput{Government: s, Institution: "DPMPTSP"}
			return in.Validate()
		}},
		{field: "institution", limit: MaxLineLen, check: func(s string) error { in := LetterheadInput{Institution: s}; return in.Validate() }},
		{field: "address", limit: MaxLineLen, check: func(s string) error { in := LetterheadInput{Address: s, Institution: "DPMPTSP"}; return in.Validate() }},
		{field: "name", limit: MaxNameLen, check: func(s string) error { return user("a@b.id", s, pw) }},
		{field: "password", limit: MaxSecretLen, check: func(s string) error { return user("a@b.id", "A", s) }},
		{field: "email", limit: MaxEmailLen, check: func(s string) error { return user(s, "A", pw) },
			at: strings.Repeat("a", MaxEmailLen-5) + "@b.id", over: strings.Repeat("a", MaxEmailLen-4) + "@b.id"},
	}
	for _, c := range cases {
		if c.at == "" {
			c.at, c.over = strings.Repeat("é", c.limit), strings.Repeat("é", c.limit+1)
		}
		if err := c.check(c.at); err != nil {
			t.Errorf("%s of %d characters: %v", c.field, c.limit, err)
		}
		for text, want := range map[string]string{c.over: KeyTooLong, pw + "\x00": KeyInvalidText, pw + "\xff": KeyInvalidText} {
			err := c.check(text)
			if verr, ok := err.(*ValidationError); !ok || verr.Fields[c.field] != want {
				t.Errorf("%s with %.20q: %v, want %s", c.field, text, err, want)
			}
		}
	}
}

// TestUploadNameFallsBackToTheType: a name with nothing left after cleaning becomes the
// fallback with its type's usual extension.
func TestUploadNameFallsBackToTheType(t *testing.T) {
	for _, c := range []struct{ name, ctype, want string }{
		{"sk.pdf", "application/pdf", "sk.pdf"},
		{"\u202E", "application/pdf", "bukti.pdf"},
		{"", "image/png", "bukti.png"},
		{"/", "image/jpeg", "bukti.jpg"},
		{"", "application/x-unknown-pantau", "bukti"},
	} {
		if got := uploadName(c.name, "bukti", c.ctype); got != c.want {
			t.Errorf("uploadName(%q, %s) = %q, want %q", c.name, c.ctype, got, c.want)
		}
	}
}
