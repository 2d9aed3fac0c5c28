package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/documents"
)

func (s *Server) provincialReport(c *gin.Context) { s.progressReport(c, "") }

func (s *Server) regionReport(c *gin.Context) { s.progressReport(c, c.Param("code")) }

// progressReport sends a progress report PDF with its verification code in X-Verification-Code.
func (s *Server) progressReport(c *gin.Context, region string) {
	y, ok := year(c)
	if !ok {
		return
	}
	u := currentUser(c)
	rep, err := s.docs.IssueProgressReport(c.Request.Context(), documents.ReportRequest{Year: y, Region: region, User: u, GeneratedBy: u.Name})
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
