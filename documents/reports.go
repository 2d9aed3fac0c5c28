package documents

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports"
)

// maxReportSize bounds a kept report; a national report is tens of megabytes at most.
const maxReportSize = 1 << 30

// ReportRequest asks for a progress report.
type ReportRequest struct {
	Year int
	// Region is one Pemda's code, Province one province's; with neither, the whole period
	// (see models.ReportScope).
	Region, Province string
	// User generated it; nil for the command line, which names itself in GeneratedBy.
	User        *models.User
	GeneratedBy string
	// Fresh skips the kept copy of an unchanged report and always renders a new one.
	Fresh bool
	// OnSection reports rendering progress (see reports.Progress).
	OnSection func(done, total int)
}

// IssuedReport is a report ready to send: its record and its bytes.
type IssuedReport struct {
	Report *models.Report
	// Kept says the bytes are those of an earlier, identical request.
	Kept bool
	Body io.ReadCloser
	Size int64
}

// IssueProgressReport returns the progress report for the request: the kept one when the
// data, the letterhead and the public address are as they were when it was made (unless
// Fresh), otherwise a new one, which is rendered with a new verification code outside any
// transaction, stored by its SHA-256 and then recorded with who made it and from which data
// state. A report shows the state it was read at, so nothing needs to be checked again when
// it is recorded.
func (s *Service) IssueProgressReport(ctx context.Context, req ReportRequest) (*IssuedReport, error) {
	data, err := s.DB.ProgressReportData(ctx, req.Year, models.ReportScope{Region: req.Region, Province: req.Province})
	if err != nil {
		return nil, err
	}
	lh, err := s.DB.Letterhead(ctx)
	if err != nil {
		return nil, err
	}
	key := models.ReportStateKey(reports.FormatVersion, data.State, strconv.FormatInt(lh.ID, 10), s.publicBase())
	if !req.Fresh {
		if kept, err := s.keptReport(ctx, key); err != nil || kept != nil {
			return kept, err
		}
	}
	code := models.NewVerificationCode()
	p := &reports.Progress{Data: data, Region: req.Region, Letterhead: *lh, GeneratedAt: s.DB.Now(), GeneratedBy: req.GeneratedBy,
		VerificationCode: code, VerificationURL: s.verifyURL(code), OnSection: req.OnSection}
	var buf bytes.Buffer
	res, err := reports.WriteProgress(&buf, p)
	if err != nil {
		return nil, err
	}
	pdf := buf.Bytes()
	sum := sha256.Sum256(pdf)
	reportStore := *s.Store
	reportStore.MaxSize = max(s.Store.MaxSize, maxReportSize)
	if _, err := reportStore.Put(bytes.NewReader(pdf)); err != nil {
		return nil, fmt.Errorf("keep the report: %w", err)
	}
	scope := req.Region
	if scope == "" {
		scope = req.Province
	}
	rec := &models.Report{Kind: models.ReportProgress, Year: req.Year, RegionCode: scope, Revision: data.Period.Revision,
		StateKey: key, Pages: res.Pages, GeneratedByName: req.GeneratedBy}
	doc := &models.Document{VerificationCode: code, Title: p.Title(), Status: "issued", SHA256: hex.EncodeToString(sum[:]), Size: int64(len(pdf))}
	if req.User != nil {
		rec.GeneratedBy, doc.CreatedBy = &req.User.ID, &req.User.ID
	}
	if err := s.DB.SaveReport(ctx, rec, doc); err != nil {
		return nil, err
	}
	return &IssuedReport{Report: rec, Body: io.NopCloser(bytes.NewReader(pdf)), Size: int64(len(pdf))}, nil
}

// keptReport opens the kept report made from this state, or returns nil when there is none
// (or its bytes are gone, so that it is made again).
func (s *Service) keptReport(ctx context.Context, key string) (*IssuedReport, error) {
	rec, err := s.DB.ReportByState(ctx, key)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	f, err := s.Store.Open(rec.Document.SHA256)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &IssuedReport{Report: rec, Kept: true, Body: f, Size: rec.Document.Size}, nil
}
