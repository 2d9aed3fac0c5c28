package documents

import (
	"context"
	"errors"
	"fmt"

	"github.com/pantau-id/pantau/models"
)

// MaxBatch bounds the documents one batch signs.
const MaxBatch = 50

// BatchItem names one slot to sign in a batch.
type BatchItem struct {
	CommitmentID int64  `json:"commitment_id"`
	Slot         string `json:"slot"`
}

// BatchInput is a batch: the slots, and what is done to each (mode, passphrase, drawing).
type BatchInput struct {
	Items        []BatchItem     `json:"items"`
	Mode         models.SignMode `json:"mode"`
	Passphrase   string          `json:"passphrase"`
	SignaturePNG string          `json:"signature_png"`
}

// BatchResult is what became of one item: the slot's status after it, or "failed" with the
// reason (a message key) when something changed between the checks and its signature.
type BatchResult struct {
	CommitmentID int64  `json:"commitment_id"`
	Slot         string `json:"slot"`
	Status       string `json:"status"`
	Error        string `json:"error,omitempty"`
}

// BatchFailed is a batch item's status when its signature could not be made.
const BatchFailed = "failed"

// SignBatch signs (or initials) several slots of the signer's, each in its own document, with
// one passphrase: every item is checked first — a slot that is not the signer's, not open to
// the act, or of a void commitment refuses the whole batch (a validation error naming the
// item, items[i]) — then the key is unlocked once, and each document gets its own signature
// and audit event, one after the other.
func (s *Service) SignBatch(ctx context.Context, u *models.User, in BatchInput, clientIP string) ([]BatchResult, error) {
	sg, err := s.signing()
	if err != nil {
		return nil, err
	}
	single := SignInput{Mode: in.Mode, Passphrase: in.Passphrase, SignaturePNG: in.SignaturePNG}
	img, err := single.image()
	if err != nil {
		return nil, err
	}
	if len(in.Items) == 0 || len(in.Items) > MaxBatch {
		return nil, models.Invalid("items", "batch_size")
	}
	commitments := make([]*models.Commitment, len(in.Items))
	problems := map[string]string{}
	seen := map[BatchItem]bool{}
	for i, it := range in.Items {
		field := fmt.Sprintf("items[%d]", i)
		if seen[it] {
			problems[field] = "batch_duplicate"
			continue
		}
		seen[it] = true
		if key := models.TextProblem(it.Slot, models.MaxCodeLen); key != "" {
			problems[field] = key
			continue
		}
		c, err := s.DB.Commitment(ctx, it.CommitmentID)
		if errors.Is(err, models.ErrNotFound) || (err == nil && !u.CanSeeCommitment(c)) {
			problems[field] = "batch_not_found"
			continue
		}
		if err != nil {
			return nil, err
		}
		if _, err := SignableSlot(c, it.Slot, u); err != nil {
			problems[field] = batchProblem(err)
			continue
		}
		if err := c.Slot(it.Slot).CanAct(u, in.Mode); err != nil {
			problems[field] = batchProblem(err)
			continue
		}
		commitments[i] = c
	}
	if len(problems) > 0 {
		return nil, &models.ValidationError{Fields: problems}
	}
	key, err := s.unlock(ctx, sg, u, in.Passphrase, nil, "", clientIP)
	if err != nil {
		return nil, err
	}
	imageSHA, err := storeImage(sg, img)
	if err != nil {
		return nil, err
	}
	out := make([]BatchResult, 0, len(in.Items))
	for i, it := range in.Items {
		res := BatchResult{CommitmentID: it.CommitmentID, Slot: it.Slot}
		c, err := s.act(ctx, sg, act{commitment: commitments[i], slot: it.Slot, user: u, mode: in.Mode, key: key, image: img, imageSHA: imageSHA})
		if err != nil {
			if ctx.Err() != nil || !isRefusal(err) {
				return nil, err // the items signed so far stay signed, each recorded on its own
			}
			res.Status, res.Error = BatchFailed, batchProblem(err)
		} else {
			res.Status = string(c.Slot(it.Slot).Status)
		}
		out = append(out, res)
	}
	return out, nil
}

// isRefusal reports the errors that refuse one act without anything being wrong with the
// server: the slot's or the commitment's state changed.
func isRefusal(err error) bool {
	var conflict *models.ConflictError
	var forbidden *models.ForbiddenError
	return errors.As(err, &conflict) || errors.As(err, &forbidden) || errors.Is(err, models.ErrConflict) || errors.Is(err, models.ErrNotFound)
}

// batchProblem is the message key for why an item cannot be signed.
func batchProblem(err error) string {
	var conflict *models.ConflictError
	var forbidden *models.ForbiddenError
	switch {
	case errors.As(err, &conflict):
		return conflict.Reason
	case errors.As(err, &forbidden):
		return forbidden.Reason
	case errors.Is(err, models.ErrNotFound):
		return "batch_not_found"
	}
	return "conflict"
}
