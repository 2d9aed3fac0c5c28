package documents

import (
	"bytes"
	"context"
	"errors"
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
