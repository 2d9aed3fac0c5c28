package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
)

func (s *Server) provincialReport(c *gin.Context) {
	province := c.Query("province")
	if province != "" && !provincePattern.MatchString(province) {
		fail(c, models.Invalid("province", "province_code"))
		return
	}
	s.progressReport(c, documents.ReportRequest{Province: province})
}

func (s *Server) regionReport(c *gin.Context) {
	s.progressReport(c, documents.ReportRequest{Region: c.Param("code")})
}

// progressReport sends a progress report PDF with its verification code in X-Verification-Code.
func (s *Server) progressReport(c *gin.Context, req documents.ReportRequest) {
	y, ok := year(c)
	if !ok {
		return
	}
	u := currentUser(c)
	req.Year, req.User, req.GeneratedBy = y, u, u.Name
	rep, err := s.docs.IssueProgressReport(c.Request.Context(), req)
	if err != nil {
		fail(c, err)
		return
	}
	defer rep.Body.Close()
	name := fmt.Sprintf("laporan-progres-%d", y)
	if scope := req.Region + req.Province; scope != "" {
		name += "-" + scope
	}
	c.DataFromReader(http.StatusOK, rep.Size, "application/pdf", rep.Body, map[string]string{
		"X-Verification-Code": rep.Report.Document.VerificationCode,
		"Content-Disposition": fmt.Sprintf(`inline; filename="%s.pdf"`, name),
		"Cache-Control":       "private, no-cache",
	})
}
