package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"

	"github.com/pantau-id/pantau/models"
)

// Error is an API error in the contract's shape: a stable code, a status, and a message key
// (or field keys) that are put into the caller's language when written.
type Error struct {
	Status int
	Code   string
	// Key selects the message; empty means the code's general message.
	Key    string
	Fields map[string]string
	// RetryAfter, in seconds, is sent as the Retry-After header when set.
	RetryAfter int
}

func (e *Error) Error() string { return e.Code }

func errBadRequest(key string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_request", Key: key}
}
func errForbidden(key string) *Error {
	return &Error{Status: http.StatusForbidden, Code: "forbidden", Key: key}
}

var (
	errUnauthenticated = &Error{Status: http.StatusUnauthorized, Code: "unauthenticated"}
	errNotFound        = &Error{Status: http.StatusNotFound, Code: "not_found"}
	// errUnavailable: the database cannot be reached right now.
	errUnavailable = &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", RetryAfter: 5}
	// errStorageUnavailable: the file storage (an S3 bucket) cannot be reached right now.
	errStorageUnavailable = &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Key: "storage_unavailable", RetryAfter: 5}
	// errBusy: the work the request needs (key derivation, verification, reports, uploads) is
	// at its concurrency limit.
	errBusy = &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Key: "busy", RetryAfter: 2}
)

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// classify turns any error a handler reports into an API error.
func classify(err error) *Error {
	var apiErr *Error
	var verr *models.ValidationError
	var forbidden *models.ForbiddenError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &apiErr):
		return apiErr
	case errors.As(err, &forbidden):
		return errForbidden(forbidden.Reason)
	case errors.As(err, &conflict) && conflict.Code != "":
		return &Error{Status: http.StatusConflict, Code: conflict.Code}
	case errors.As(err, &conflict):
		return &Error{Status: http.StatusConflict, Code: "conflict", Key: conflict.Reason}
	case errors.As(err, &verr):
		return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Fields: verr.Fields}
	case errors.Is(err, models.ErrNotFound):
		return errNotFound
	case errors.Is(err, models.ErrConflict):
		return &Error{Status: http.StatusConflict, Code: "conflict"}
	case errors.Is(err, models.ErrForbidden):
		return errForbidden("")
	case errors.Is(err, models.ErrBadCredentials):
		return &Error{Status: http.StatusUnauthorized, Code: "unauthenticated", Key: "bad_credentials"}
	case errors.Is(err, models.ErrRateLimited):
		return &Error{Status: http.StatusTooManyRequests, Code: "rate_limited", RetryAfter: 900}
	case errors.Is(err, models.ErrTooLarge):
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large"}
	case errors.Is(err, models.ErrUnsupportedType):
		return &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type"}
	case errors.Is(err, models.ErrEmptyFile):
		return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Fields: map[string]string{"file": "empty_file"}}
	case errors.Is(err, models.ErrUnavailable):
		return errUnavailable
	case errors.Is(err, models.ErrStorageUnavailable):
		return errStorageUnavailable
	case errors.Is(err, models.ErrBusy):
		return errBusy
	}
	return &Error{Status: http.StatusInternalServerError, Code: "internal"}
}

// errorWriter writes the last error a handler reported, in the caller's language. Internal
// errors are logged and answered with a generic message, never the error's text.
func errorWriter(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		if len(c.Errors) == 0 || c.Writer.Written() {
			return
		}
		err := c.Errors.Last().Err
		e := classify(err)
		if e.Status >= 500 {
			log.ErrorContext(c.Request.Context(), "request failed", "route", c.FullPath(), "code", e.Code, "err", err)
		}
		writeError(c, e)
	}
}

func writeError(c *gin.Context, e *Error) {
	if e.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	lang := requestLanguage(c.Request)
	body := errorBody{Error: errorDetail{Code: e.Code, Message: message(lang, e.Code, e.Key)}}
	if len(e.Fields) > 0 {
		body.Error.Fields = map[string]string{}
		for f, key := range e.Fields {
			body.Error.Fields[f] = fieldMessage(lang, key)
		}
	}
	c.AbortWithStatusJSON(e.Status, body)
}

var languageMatcher = language.NewMatcher([]language.Tag{language.Indonesian, language.English})

// requestLanguage is "en" when Accept-Language prefers English, otherwise "id".
func requestLanguage(r *http.Request) string {
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "id"
	}
	_, idx, _ := languageMatcher.Match(tags...)
	if idx == 1 {
		return "en"
	}
	return "id"
}
