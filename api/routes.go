package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// Role sets used by the route table.
var (
	managers      = []models.Role{models.RoleAdmin, models.RoleCoordinator}
	claimants     = []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator}
	reviewers     = []models.Role{models.RoleAdmin, models.RoleReviewer}
	administrator = []models.Role{models.RoleAdmin}
	auditors      = []models.Role{models.RoleAdmin, models.RoleReviewer}
	signatories   = []models.Role{models.RoleSignatory}
	// discussants take part in items' discussions (region scope checked by the store).
	discussants = []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator, models.RoleReviewer}
)

// routes is the whole route table: every path, who may call it, and its handler.
// Operator region scope is checked in the handlers that take a region code.
func (s *Server) routes() (*gin.Engine, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(s.opts.TrustedProxies); err != nil {
		return nil, err
	}
	r.Use(s.recoverer(), s.securityHeaders(), s.observe(), compressJSON, errorWriter(s.log))
	r.Use(requireValidText, s.bodyLimits())
	r.NoRoute(func(c *gin.Context) {
		if s.opts.UI != nil && isUIRequest(c.Request) {
			c.Status(http.StatusOK) // gin presets 404 for NoRoute; the UI sets its own status
			s.opts.UI.ServeHTTP(c.Writer, c.Request)
			return
		}
		fail(c, errNotFound)
	})

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.serveMetrics)
	r.GET("/api/openapi.json", s.openapi)

	v1 := r.Group("/api/v1")
	v1.POST("/auth/login", s.login)
	v1.GET("/verify/:code", s.verifyCode)
	v1.POST("/verify", s.costly(s.pools.verify), s.verifyFile)
	v1.GET("/signing/ca.pem", s.signingCA)
	v1.GET("/signing/crl", s.signingCRL)
	v1.POST("/signing/ocsp", s.ocspPost)
	v1.GET("/signing/ocsp/*request", s.ocspGet)
	v1.GET("/labels", s.labels)
	v1.GET("/unsubscribe", s.unsubscribe)
	v1.POST("/unsubscribe", s.unsubscribe)

	in := v1.Group("", s.authenticate)
	in.POST("/auth/logout", s.logout)
	in.GET("/me", s.me)
	in.PUT("/me/password", s.changePassword)
	in.GET("/me/notifications", s.listNotifications)
	in.POST("/me/notifications/read", s.markNotificationsRead)
	in.GET("/me/preferences", s.getPreferences)
	in.PUT("/me/preferences", s.setPreferences)

	in.GET("/users", s.allow(administrator), s.listUsers)
	in.GET("/signatories", s.allow(managers), s.listSignatories)
	in.POST("/users", s.allow(administrator), s.createUser)
	in.PATCH("/users/:id", s.allow(administrator), s.updateUser)

	in.GET("/regions", s.listRegions)
	in.POST("/regions", s.allow(managers), s.createRegion)
	in.GET("/regions/:code/trend", s.regionTrend)

	in.GET("/periods", s.listPeriods)
	in.POST("/periods", s.allow(managers), s.nationalScope, s.createPeriod)
	in.GET("/periods/:year", s.getPeriod)
	in.PATCH("/periods/:year", s.allow(managers), s.nationalScope, s.updatePeriod)
	in.POST("/periods/:year/close", s.allow(managers), s.closePeriod)
	in.POST("/periods/:year/reopen", s.allow(administrator), s.reopenPeriod)
	in.GET("/periods/:year/extensions", s.listExtensions)
	in.PUT("/periods/:year/regions/:code/extension", s.allow(managers), s.setExtension)
	in.GET("/periods/:year/catalogue", s.getCatalogue)
	in.POST("/periods/:year/catalogue/copy", s.allow(managers), s.nationalScope, s.copyCatalogue)
	in.GET("/periods/:year/progress", s.radar)
	in.GET("/periods/:year/todo", s.todo)
	in.GET("/periods/:year/review-queue", s.reviewQueue)
	in.GET("/periods/:year/areas", s.listAreas)
	in.POST("/periods/:year/areas", s.allow(managers), s.nationalScope, s.createArea)
	in.PATCH("/periods/:year/areas/:area", s.allow(managers), s.nationalScope, s.updateArea)
	in.GET("/periods/:year/indicators", s.listIndicators)
	in.POST("/periods/:year/indicators", s.allow(managers), s.nationalScope, s.createIndicator)
	in.PATCH("/periods/:year/indicators/:indicator", s.allow(managers), s.nationalScope, s.updateIndicator)
	in.GET("/periods/:year/zones", s.listZones)
	in.PUT("/periods/:year/zones/:metric", s.allow(administrator), s.setZones)
	in.GET("/periods/:year/summary", s.getSummary)
	in.GET("/periods/:year/export/:file", s.costly(s.pools.reports), s.exportTable)
	in.POST("/periods/:year/import/catalogue", s.allow(managers), s.nationalScope, s.costly(s.pools.reports), s.importCatalogue)
	in.POST("/periods/:year/import/claims", s.allow(claimants), s.costly(s.pools.reports), s.importClaims)
	in.GET("/periods/:year/reports/progress.pdf", s.costly(s.pools.reports), s.provincialReport)
	in.GET("/periods/:year/regions/:code/reports/progress.pdf", s.costly(s.pools.reports), s.regionReport)

	in.GET("/periods/:year/regions/:code/items", s.listItems)
	in.PATCH("/periods/:year/regions/:code/items/:indicator", s.allow(claimants), s.claimItem)
	in.POST("/periods/:year/regions/:code/items/:indicator/evidence", s.allow(claimants), s.costly(s.pools.uploads), s.uploadEvidence)
	in.POST("/periods/:year/regions/:code/items/:indicator/reviews", s.allow(reviewers), s.reviewItem)
	in.PUT("/periods/:year/regions/:code/items/:indicator/applicability", s.allow(claimants), s.setApplicability)
	in.GET("/periods/:year/regions/:code/delegation", s.getDelegation)
	in.GET("/periods/:year/regions/:code/explanation", s.explainZone)
	in.GET("/periods/:year/regions/:code/remediation", s.remediationPlan)
	in.POST("/periods/:year/regions/:code/remediation", s.allow(claimants), s.addRemediationAction)
	in.PATCH("/periods/:year/regions/:code/remediation/:id", s.allow(claimants), s.updateRemediationAction)
	in.DELETE("/periods/:year/regions/:code/remediation/:id", s.allow(claimants), s.deleteRemediationAction)
	in.PUT("/periods/:year/regions/:code/delegation", s.allow(claimants), s.setDelegation)
	in.PUT("/periods/:year/regions/:code/delegation/permits", s.allow(claimants), s.setDelegationPermits)
	in.GET("/periods/:year/regions/:code/delegation/documents", s.listDelegationDocuments)
	in.POST("/periods/:year/regions/:code/delegation/documents", s.allow(claimants), s.costly(s.pools.uploads), s.uploadDelegationDocument)
	in.GET("/periods/:year/regions/:code/delegation/documents/:id/file", s.downloadDelegationDocument)

	in.GET("/evidence/:id", s.downloadEvidence)
	in.PUT("/evidence/:id/review", s.allow(reviewers), s.reviewEvidence)
	in.GET("/periods/:year/regions/:code/items/:indicator/history", s.itemHistory)
	in.GET("/periods/:year/regions/:code/items/:indicator/comments", s.allow(discussants), s.listComments)
	in.POST("/periods/:year/regions/:code/items/:indicator/comments", s.allow(discussants), s.addComment)
	in.PATCH("/periods/:year/regions/:code/items/:indicator/comments/:id", s.allow(discussants), s.editComment)
	in.DELETE("/periods/:year/regions/:code/items/:indicator/comments/:id", s.allow(discussants), s.deleteComment)
	in.GET("/audit", s.allow(auditors), s.listAudit)
	in.GET("/letterhead", s.getLetterhead)
	in.PUT("/letterhead", s.allow(administrator), s.setLetterhead)

	in.GET("/commitments", s.listCommitments)
	in.POST("/commitments", s.allow(managers), s.createCommitment)
	in.GET("/commitments/:id", s.getCommitment)
	in.GET("/commitments/:id/document.pdf", s.commitmentDocument)
	in.PUT("/commitments/:id/signatories/:slot", s.allow(managers), s.assignSlot)
	in.POST("/commitments/:id/signatories/:slot/sign", s.allow(signatories), s.signSlot)
	in.PUT("/commitments/:id/signatories/:slot/delegation", s.allow(managers), s.setSlotDelegation)
	in.GET("/commitments/:id/signatories/:slot/delegation", s.slotDelegationDocument)
	in.POST("/commitments/:id/void", s.allow(managers), s.voidCommitment)
	in.POST("/me/sign-batch", s.allow(signatories), s.signBatch)
	in.GET("/commitment-template", s.allow(managers), s.getCommitmentTemplate)
	in.PUT("/commitment-template", s.allow(administrator), s.setCommitmentTemplate)
	in.GET("/me/signing-key", s.allow(signatories), s.mySigningKey)
	in.PUT("/me/signing-key", s.allow(signatories), s.setMySigningKey)
	in.POST("/users/:id/signing-key", s.allow(administrator), s.importSigningKey)
	in.POST("/users/:id/signing-key/revoke", s.allow(administrator), s.revokeSigningKey)
	return r, nil
}

// isUIRequest tells the web app's paths from the API's: everything read with GET or HEAD outside
// /api/ and the operational endpoints is the single-page app's; the rest stay JSON 404s.
func isUIRequest(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	for _, prefix := range []string{"/api", "/healthz", "/readyz", "/metrics"} {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return false
		}
	}
	return true
}

// allow lets only the given roles through.
func (s *Server) allow(roles []models.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		for _, role := range roles {
			if u.Role == role {
				c.Next()
				return
			}
		}
		fail(c, errForbidden("role"))
		c.Abort()
	}
}

func (s *Server) recoverer() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, err any) {
		s.log.ErrorContext(c.Request.Context(), "panic", "route", c.FullPath(), "panic", err)
		writeError(c, &Error{Status: http.StatusInternalServerError, Code: "internal"})
	})
}
