package documents

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports"
)

// CreateCommitment prepares a region's commitment for a year from the current template and
// renders its draft (outside any transaction), then saves both. When the region, its province
// or the template changed meanwhile it starts again from the read.
func (s *Service) CreateCommitment(ctx context.Context, in models.CommitmentInput, by *models.User) (*models.Commitment, error) {
	sg, err := s.signing()
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		p, err := s.DB.PrepareCommitment(ctx, in, by)
		if err != nil {
			return nil, err
		}
		d, err := s.renderDraft(ctx, sg, p.Commitment)
		if err != nil {
			return nil, err
		}
		c, err := s.DB.CreateCommitment(ctx, p, d)
		if !errors.Is(err, models.ErrStaleCommitment) || attempt == attempts {
			return c, err
		}
	}
}

// AssignSlot assigns (or reassigns) a signatory user to a slot that is not yet signed. Before
// the first signature the draft is rendered again with the new name, outside any transaction;
// when the commitment changed meanwhile (another assignment or a signature) it starts again
// from the read, so the draft saved last always shows every assignment.
func (s *Service) AssignSlot(ctx context.Context, id int64, slot string, in models.AssignInput) (*models.Commitment, error) {
	sg, err := s.signing()
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		a, err := s.DB.PrepareAssignment(ctx, id, slot, in)
		if err != nil {
			return nil, err
		}
		var d *models.Draft
		if a.Commitment.FrozenAt == nil {
			if d, err = s.renderDraft(ctx, sg, a.Commitment); err != nil {
				return nil, err
			}
		}
		c, err := s.DB.AssignSlot(ctx, a, d)
		if !errors.Is(err, models.ErrStaleCommitment) || attempt == attempts {
			return c, err
		}
	}
}

// renderDraft renders a commitment's draft with the letterhead in use and stores its bytes
// with the signed documents.
func (s *Service) renderDraft(ctx context.Context, sg *models.Signing, c *models.Commitment) (*models.Draft, error) {
	lh, err := s.DB.Letterhead(ctx)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	res, err := reports.WriteCommitment(&buf, &reports.Commitment{C: c, Letterhead: *lh, VerificationURL: s.verifyURL(c.VerificationCode)})
	if err != nil {
		return nil, err
	}
	blob, err := sg.Documents.Put(&buf)
	if err != nil {
		return nil, err
	}
	return &models.Draft{SHA256: blob.SHA256, Size: blob.Size, Pages: res.Pages, Fields: res.Fields}, nil
}

// CommitmentPDF opens the document's current bytes: the draft, or the frozen text with every
// signature so far.
func (s *Service) CommitmentPDF(c *models.Commitment) (io.ReadCloser, error) {
	sg, err := s.signing()
	if err != nil {
		return nil, err
	}
	return sg.Documents.Open(c.SHA256)
}

// DelegationUpload is a delegation to record for a slot: its kind, reference, and the
// document's file name and SHA-256 as StoreDelegationDocument kept it ("" when none was sent).
type DelegationUpload struct {
	Kind      models.DelegationKind
	Reference string
	Filename  string
	SHA256    string
}

// delegationTypes are the files a delegation's document may be.
var delegationTypes = map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true}

// StoreDelegationDocument keeps the scan of a delegation (a PDF, PNG or JPEG) with the
// commitments' documents and returns its SHA-256; other files are models.ErrUnsupportedType.
func (s *Service) StoreDelegationDocument(r io.Reader) (string, error) {
	sg, err := s.signing()
	if err != nil {
		return "", err
	}
	blob, err := sg.Documents.Put(r)
	if err != nil {
		return "", err
	}
	if !delegationTypes[blob.ContentType] {
		return "", fmt.Errorf("%w: %s", models.ErrUnsupportedType, blob.ContentType)
	}
	return blob.SHA256, nil
}

// SetDelegation records the delegation (a.n. or surat kuasa) under which the deputy assigned
// to a slot may sign for its office holder, with its stored document.
func (s *Service) SetDelegation(ctx context.Context, id int64, slot string, up DelegationUpload) (*models.Commitment, error) {
	if _, err := s.signing(); err != nil {
		return nil, err
	}
	return s.DB.SetSigningDelegation(ctx, id, slot, models.SigningDelegationInput{Kind: up.Kind, Reference: up.Reference, Filename: up.Filename, SHA256: up.SHA256})
}

// DelegationDocument opens the document of the delegation recorded for a slot; ErrNotFound
// when there is none.
func (s *Service) DelegationDocument(c *models.Commitment, slot string) (io.ReadSeekCloser, *models.SigningDelegation, error) {
	sg, err := s.signing()
	if err != nil {
		return nil, nil, err
	}
	sl := c.Slot(slot)
	if sl == nil || sl.Delegation == nil {
		return nil, nil, models.ErrNotFound
	}
	f, err := sg.Documents.Open(sl.Delegation.SHA256)
	return f, sl.Delegation, err
}
