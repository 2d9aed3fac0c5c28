package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
)

// signingCommitment is commitmentParam for the routes that need the signing service (503
// without one, before anything else).
func (s *Server) signingCommitment(c *gin.Context) (*models.Commitment, bool) {
	if _, ok := s.signingService(c); !ok {
		return nil, false
	}
	return s.commitmentParam(c)
}

// commitmentParam loads the commitment named by :id, answering 404 when it does not exist or
// the caller may not see it.
func (s *Server) commitmentParam(c *gin.Context) (*models.Commitment, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errBadRequest("bad_id"))
		return nil, false
	}
	cm, err := s.db.Commitment(c.Request.Context(), id)
	if err == nil && !currentUser(c).CanSeeCommitment(cm) {
		err = models.ErrNotFound
	}
	if err != nil {
		fail(c, err)
		return nil, false
	}
	return cm, true
}

// listCommitments lists the commitments the caller may see; ?year= narrows to one year, and
// ?waiting=true to those where a slot of the caller's still waits for their signature.
func (s *Server) listCommitments(c *gin.Context) {
	year, _ := strconv.Atoi(c.Query("year"))
	out, err := s.db.Commitments(c.Request.Context(), currentUser(c), models.CommitmentFilter{Year: year, Waiting: c.Query("waiting") == "true"})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// createCommitment (coordinator, admin) prepares a regency's or city's commitment for a year,
// or with kind joint the province's joint commitment.
func (s *Server) createCommitment(c *gin.Context) {
	if _, ok := s.signingService(c); !ok {
		return
	}
	var in models.CommitmentInput
	if !s.bindJSON(c, &in) {
		return
	}
	cm, err := s.docs.CreateCommitment(c.Request.Context(), in, currentUser(c))
	if err != nil {
		fail(c, documentError(err))
		return
	}
	c.Header("X-Verification-Code", cm.VerificationCode)
	c.JSON(http.StatusCreated, cm)
}

func (s *Server) getCommitment(c *gin.Context) {
	if cm, ok := s.commitmentParam(c); ok {
		c.JSON(http.StatusOK, cm)
	}
}

// assignSlot (coordinator, admin) assigns a signatory user to a slot that is not signed yet (an
// initialled slot too: its paraf stays).
func (s *Server) assignSlot(c *gin.Context) {
	cm, ok := s.signingCommitment(c)
	if !ok {
		return
	}
	var in models.AssignInput
	if !s.bindJSON(c, &in) {
		return
	}
	out, err := s.docs.AssignSlot(c.Request.Context(), cm.ID, c.Param("slot"), in)
	if err != nil {
		fail(c, documentError(err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// commitmentDocument serves the document's current bytes: the draft, or the frozen text with
// every signature so far.
func (s *Server) commitmentDocument(c *gin.Context) {
	cm, ok := s.signingCommitment(c)
	if !ok {
		return
	}
	f, err := s.docs.CommitmentPDF(cm)
	if err != nil {
		fail(c, documentError(err))
		return
	}
	defer f.Close()
	c.Header("X-Verification-Code", cm.VerificationCode)
	c.Header("Content-Disposition", `inline; filename="komitmen-`+cm.RegionCode+`-`+strconv.Itoa(cm.Year)+`.pdf"`)
	c.DataFromReader(http.StatusOK, cm.Size, "application/pdf", f, nil)
}

// signSlot appends the caller's signature or paraf for their slot to the document as a PDF
// signature (see documents.Service.Sign). Whose slot it is, and whether it is still open, is
// answered before the body is read.
func (s *Server) signSlot(c *gin.Context) {
	cm, ok := s.signingCommitment(c)
	if !ok {
		return
	}
	u := currentUser(c)
	if _, err := documents.SignableSlot(cm, c.Param("slot"), u); err != nil {
		fail(c, documentError(err))
		return
	}
	var in documents.SignInput
	if !s.bindJSON(c, &in) {
		return
	}
	out, err := s.docs.Sign(c.Request.Context(), documents.SignRequest{Commitment: cm, Slot: c.Param("slot"), User: u, Input: in, ClientIP: c.ClientIP()})
	if err != nil {
		fail(c, documentError(err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// getCommitmentTemplate shows the text new commitments of a kind start from (?kind=regional,
// the default, or joint).
func (s *Server) getCommitmentTemplate(c *gin.Context) {
	t, err := s.db.CommitmentTemplate(c.Request.Context(), models.CommitmentKind(c.Query("kind")))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

// setCommitmentTemplate (admin) saves a new template; prepared commitments keep their text.
func (s *Server) setCommitmentTemplate(c *gin.Context) {
	var in models.CommitmentTemplate
	if !s.bindJSON(c, &in) {
		return
	}
	t, err := s.db.SetCommitmentTemplate(c.Request.Context(), in, currentUser(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}
