package api

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// Bounds on text in addresses and forms, in characters: a longer path parameter names
// nothing, a longer query value filters nothing, and the multipart forms' text fields (ids and
// dates) are short.
const (
	maxPathParamLen  = 200
	maxQueryValueLen = 1000
	maxFormValueLen  = 32
)

// requireValidText refuses, before any handler runs, a request whose path parameters or query
// string hold text no database stores (invalid UTF-8, NUL) or more than they may hold. Such a
// path parameter names nothing: 404. Such a query value is invalid: 422 naming the parameter.
// A parameter name that is not text is a malformed request: 400. Paths no route matched are
// left to NoRoute.
func requireValidText(c *gin.Context) {
	if c.FullPath() == "" {
		return
	}
	for _, p := range c.Params {
		if models.TextProblem(p.Value, maxPathParamLen) != "" {
			fail(c, errNotFound)
			c.Abort()
			return
		}
	}
	fields := map[string]string{}
	for name, values := range c.Request.URL.Query() {
		if !models.ValidText(name) {
			fail(c, errBadRequest(models.KeyInvalidText))
			c.Abort()
			return
		}
		for _, v := range values {
			if key := models.TextProblem(v, maxQueryValueLen); key != "" {
				fields[name] = key
			}
		}
	}
	if len(fields) > 0 {
		fail(c, &models.ValidationError{Fields: fields})
		c.Abort()
	}
}

// formText reads a multipart text field of at most max characters; text that is not valid or
// longer (see models.TextProblem) is a validation error naming the field.
func formText(part io.Reader, field string, max int) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, int64(max*utf8.UTFMax+1)))
	if err != nil {
		return "", uploadError(err)
	}
	return string(b), models.CheckText(field, string(b), max)
}

// jsonTextError finds the strings of a well-formed JSON body that no database stores: bytes
// that are not UTF-8 (which decoding would silently turn into U+FFFD) or a NUL (\u0000). It
// names the top-level fields holding them (422); what it cannot tie to a field, such as a bad
// key, is a malformed request (400). Lengths are the models' to check, field by field.
func jsonTextError(body []byte) error {
	if utf8.Valid(body) && !bytes.Contains(body, []byte(`\u0000`)) {
		return nil
	}
	var top map[string]json.RawMessage
	fields := map[string]string{}
	if json.Unmarshal(body, &top) == nil {
		for name, raw := range top {
			if !models.ValidText(name) {
				return errBadRequest(models.KeyInvalidText)
			}
			if !utf8.Valid(raw) || holdsNUL(raw) {
				fields[name] = models.KeyInvalidText
			}
		}
	}
	if len(fields) == 0 {
		return errBadRequest(models.KeyInvalidText)
	}
	return &models.ValidationError{Fields: fields}
}

// holdsNUL reports whether any string or key of a JSON value holds a NUL.
func holdsNUL(raw json.RawMessage) bool {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return true
	}
	var walk func(v any) bool
	walk = func(v any) bool {
		switch v := v.(type) {
		case string:
			return strings.IndexByte(v, 0) >= 0
		case []any:
			for _, e := range v {
				if walk(e) {
					return true
				}
			}
		case map[string]any:
			for k, e := range v {
				if strings.IndexByte(k, 0) >= 0 || walk(e) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}
