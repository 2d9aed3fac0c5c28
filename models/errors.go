package models

import (
	"errors"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// Sentinel errors. The api package maps them to HTTP statuses.
var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a duplicate, or a stale version.
	ErrConflict = errors.New("conflict")
	// ErrForbidden: the actor may not do this to this thing.
	ErrForbidden = errors.New("forbidden")
)

// ForbiddenError is ErrForbidden with its reason, a message key ("own_claim", "region_scope").
type ForbiddenError struct{ Reason string }

func (e *ForbiddenError) Error() string { return "forbidden: " + e.Reason }

// Is makes errors.Is(err, ErrForbidden) hold for every ForbiddenError.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// Forbidden returns a ForbiddenError with the given reason.
func Forbidden(reason string) error { return &ForbiddenError{Reason: reason} }

// ConflictError is ErrConflict with what refused the change: a state the API names in its
// error code ("period_closed"), or a reason that only picks the message ("already_signed").
type ConflictError struct{ Code, Reason string }

func (e *ConflictError) Error() string { return "conflict: " + e.Code + e.Reason }

// Is makes errors.Is(err, ErrConflict) hold for every ConflictError.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// ValidationError says which fields of an input are invalid. Each value is a message key
// (e.g. "required", "out_of_range") that the api package turns into words.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k, v := range e.Fields {
		keys = append(keys, k+": "+v)
	}
	sort.Strings(keys)
	return "validation failed: " + strings.Join(keys, ", ")
}

// Invalid returns a ValidationError for one field.
func Invalid(field, key string) error {
	return &ValidationError{Fields: map[string]string{field: key}}
}

// fieldErrors collects validation problems; err returns nil when there are none.
type fieldErrors map[string]string

func (f fieldErrors) add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return &ValidationError{Fields: f}
}

// translate maps driver-level errors to the package's sentinels.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return ErrConflict
	}
	return err
}
