package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports"
)

// DefaultPublicURL is where Pantau is reached when no public address is configured.
const DefaultPublicURL = "http://localhost:8080"

// maxReportSize bounds a kept report; a national report is tens of megabytes at most.
const maxReportSize = 1 << 30

// ReportRequest asks for a progress report.
type ReportRequest struct {
	Year int
	// Region is one Pemda's code; empty for the whole period.
	Region string
	// PublicURL is the address the report's QR code points under (…/verify/CODE).
	PublicURL string
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
// Fresh), otherwise a new one, which is rendered with a new verification code, stored by its
// SHA-256 in store and recorded with who made it and from which data state.
func IssueProgressReport(ctx context.Context, db *models.DB, store *models.BlobStore, req ReportRequest) (*IssuedReport, error) {
	data, err := db.ProgressReportData(ctx, req.Year, req.Region)
	if err != nil {
		return nil, err
	}
	lh, err := db.Letterhead(ctx)
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(req.PublicURL, "/")
	if base == "" {
		base = DefaultPublicURL
	}
	key := models.ReportStateKey(reports.FormatVersion, data.State, strconv.FormatInt(lh.ID, 10), base)
	if !req.Fresh {
		if kept, err := keptReport(ctx, db, store, key); err != nil || kept != nil {
			return kept, err
		}
	}
	code := models.NewVerificationCode()
	p := &reports.Progress{Data: data, Region: req.Region, Letterhead: *lh, GeneratedAt: db.Now(), GeneratedBy: req.GeneratedBy,
		VerificationCode: code, VerificationURL: base + "/verify/" + code, OnSection: req.OnSection}
	var buf bytes.Buffer
	res, err := reports.WriteProgress(&buf, p)
	if err != nil {
		return nil, err
	}
	pdf := buf.Bytes()
	sum := sha256.Sum256(pdf)
	reportStore := *store
	reportStore.MaxSize = max(store.MaxSize, maxReportSize)
	if _, err := reportStore.Put(bytes.NewReader(pdf)); err != nil {
		return nil, fmt.Errorf("keep the report: %w", err)
	}
	rec := &models.Report{Kind: models.ReportProgress, Year: req.Year, RegionCode: req.Region, Revision: data.Period.Revision,
		StateKey: key, Pages: res.Pages, GeneratedByName: req.GeneratedBy}
	doc := &models.Document{VerificationCode: code, Title: p.Title(), Status: "issued", SHA256: hex.EncodeToString(sum[:]), Size: int64(len(pdf))}
	if req.User != nil {
		rec.GeneratedBy, doc.CreatedBy = &req.User.ID, &req.User.ID
	}
	if err := db.SaveReport(ctx, rec, doc); err != nil {
		return nil, err
	}
	return &IssuedReport{Report: rec, Body: io.NopCloser(bytes.NewReader(pdf)), Size: int64(len(pdf))}, nil
}

// keptReport opens the kept report made from this state, or returns nil when there is none
// (or its bytes are gone, so that it is made again).
func keptReport(ctx context.Context, db *models.DB, store *models.BlobStore, key string) (*IssuedReport, error) {
	rec, err := db.ReportByState(ctx, key)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	f, err := store.Open(rec.Document.SHA256)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &IssuedReport{Report: rec, Kept: true, Body: f, Size: rec.Document.Size}, nil
}

func (s *Server) provincialReport(c *gin.Context) { s.progressReport(c, "") }

func (s *Server) regionReport(c *gin.Context) { s.progressReport(c, c.Param("code")) }

// progressReport sends a progress report PDF with its verification code in X-Verification-Code.
func (s *Server) progressReport(c *gin.Context, region string) {
	y, ok := year(c)
	if !ok {
		return
	}
	u := currentUser(c)
	rep, err := IssueProgressReport(c.Request.Context(), s.db, s.blobs, ReportRequest{Year: y, Region: region,
		PublicURL: s.opts.PublicURL, User: u, GeneratedBy: u.Name})
	if err != nil {
		fail(c, err)
		return
	}
	defer rep.Body.Close()
	name := fmt.Sprintf("laporan-progres-%d", y)
	if region != "" {
		name += "-" + region
	}
	c.DataFromReader(http.StatusOK, rep.Size, "application/pdf", rep.Body, map[string]string{
		"X-Verification-Code": rep.Report.Document.VerificationCode,
		"Content-Disposition": fmt.Sprintf(`inline; filename="%s.pdf"`, name),
		"Cache-Control":       "private, no-cache",
	})
}
