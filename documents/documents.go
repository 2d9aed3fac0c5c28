// Package documents holds the workflows around the PDFs Pantau issues, apart from HTTP:
// progress reports are issued and kept, commitment documents are rendered, signed and frozen,
// and uploaded files are checked against what was issued and against their embedded
// signatures. It sits between models (the data) and the PDF encoders (reports,
// reports/pdfsign): each workflow reads what its document needs, renders it outside any
// transaction, and saves the result in a short transaction that checks nothing changed
// meanwhile, reading and rendering again when something did.
package documents

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/pantau-id/pantau/models"
)

// DefaultPublicURL is where Pantau is reached when no public address is configured.
const DefaultPublicURL = "http://localhost:8080"

// Service runs the document workflows.
type Service struct {
	DB *models.DB
	// Store keeps issued progress reports by SHA-256 (the evidence store).
	Store *models.BlobStore
	// Signing is the commitment signing service; nil (or one without a CA) makes every
	// commitment workflow ErrSigningUnavailable.
	Signing *models.Signing
	// PublicURL is the address people reach Pantau at; printed documents' QR codes point under
	// it (…/verify/CODE). Empty means DefaultPublicURL.
	PublicURL string
	// Log receives what the workflows carry on without (e.g. a signature kept without its
	// validation data); nil discards it.
	Log *slog.Logger
}

// Errors the workflows report beyond the models' own.
var (
	// ErrSigningUnavailable: the server has no signing service.
	ErrSigningUnavailable = errors.New("no signing service")
	// ErrSigningLocked: the signer gave too many wrong passphrases lately.
	ErrSigningLocked = fmt.Errorf("signing is locked for now: %w", models.ErrRateLimited)
	// ErrReissueNeeded: the document was certified before slots had the field this act needs
	// (a paraf field); void it and make a new one.
	ErrReissueNeeded = &models.ConflictError{Reason: "reissue_needed"}
)

// attempts bounds how often a workflow reads and renders again after a concurrent change.
const attempts = 5

// publicBase is the public address without a trailing slash.
func (s *Service) publicBase() string {
	if base := strings.TrimRight(s.PublicURL, "/"); base != "" {
		return base
	}
	return DefaultPublicURL
}

// verifyURL is the public check of a document by its code, as its QR code holds it.
func (s *Service) verifyURL(code string) string { return s.publicBase() + "/verify/" + code }

// signing returns the signing service, or ErrSigningUnavailable.
func (s *Service) signing() (*models.Signing, error) {
	if !s.SigningAvailable() {
		return nil, ErrSigningUnavailable
	}
	return s.Signing, nil
}

// SigningAvailable reports whether commitments can be prepared, signed and served.
func (s *Service) SigningAvailable() bool { return s.Signing != nil && s.Signing.CA != nil }
