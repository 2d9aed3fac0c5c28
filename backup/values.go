package backup

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is a column's type as the archive keeps it, the same on either database.
type Kind string

// The kinds of column Pantau's schema uses.
const (
	Integer   Kind = "integer"
	Text      Kind = "text"
	Boolean   Kind = "boolean"
	Timestamp Kind = "timestamp"
)

// kindOf maps a declared (SQLite) or catalogued (PostgreSQL) type to its kind. A type the
// schema does not use is refused, so that a new one gets a round trip written for it rather
// than an approximate one.
func kindOf(declared string) (Kind, error) {
	switch strings.ToLower(declared) {
	case "integer", "bigint", "smallint", "int":
		return Integer, nil
	case "text", "character varying", "varchar":
		return Text, nil
	case "boolean", "bool":
		return Boolean, nil
	case "timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone", "datetime":
		return Timestamp, nil
	}
	return "", fmt.Errorf("type %q is not one the backup knows how to copy exactly", declared)
}

// sqliteTimeFormats are the layouts the SQLite driver writes times in.
var sqliteTimeFormats = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"}

// encode turns a value read from either driver into its JSON form: integers as numbers,
// booleans as true/false, timestamps as RFC 3339 with nanoseconds and their own offset, text
// as a string — or, where it is not valid UTF-8, as {"base64": …} so that it comes back
// byte for byte.
func encode(k Kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case Integer:
		if n, ok := v.(int64); ok {
			return n, nil
		}
	case Boolean:
		switch b := v.(type) {
		case bool:
			return b, nil
		case int64:
			return b != 0, nil
		}
	case Timestamp:
		switch t := v.(type) {
		case time.Time:
			return t.Format(time.RFC3339Nano), nil
		case string:
			for _, layout := range sqliteTimeFormats {
				if p, err := time.Parse(layout, t); err == nil {
					return p.Format(time.RFC3339Nano), nil
				}
			}
		}
	case Text:
		var s string
		switch t := v.(type) {
		case string:
			s = t
		case []byte:
			s = string(t)
		default:
			return nil, fmt.Errorf("a %T in a text column", v)
		}
		if !utf8.ValidString(s) {
			return map[string]string{"base64": base64.StdEncoding.EncodeToString([]byte(s))}, nil
		}
		return s, nil
	}
	return nil, fmt.Errorf("a %T (%v) in a %s column", v, v, k)
}

// decode turns a JSON value of the archive back into one for the driver.
func decode(k Kind, raw json.RawMessage) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	switch k {
	case Integer:
		var n int64
		err := json.Unmarshal(raw, &n)
		return n, err
	case Boolean:
		var b bool
		err := json.Unmarshal(raw, &b)
		return b, err
	case Timestamp:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return time.Parse(time.RFC3339Nano, s)
	case Text:
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			return s, nil
		}
		var b struct{ Base64 string }
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, err
		}
		out, err := base64.StdEncoding.DecodeString(b.Base64)
		return string(out), err
	}
	return nil, fmt.Errorf("unknown kind %q", k)
}
