package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

func (s *Server) listPeriods(c *gin.Context) {
	periods, err := s.db.Periods(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, periods)
}

func (s *Server) createPeriod(c *gin.Context) {
	var in models.PeriodInput
	if !s.bindJSON(c, &in) {
		return
	}
	p, err := s.db.CreatePeriod(c.Request.Context(), in, false)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, p)
}

func (s *Server) getPeriod(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	p, err := s.db.PeriodByYear(c.Request.Context(), y)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) listAreas(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	areas, err := s.db.Areas(c.Request.Context(), y)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, areas)
}

func (s *Server) createArea(c *gin.Context) {
	y, ok := year(c)
	var in models.AreaInput
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	a, err := s.db.CreateArea(c.Request.Context(), y, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, a)
}

func (s *Server) listIndicators(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	inds, err := s.db.Indicators(c.Request.Context(), y)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, inds)
}

func (s *Server) createIndicator(c *gin.Context) {
	y, ok := year(c)
	var in models.IndicatorInput
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	ind, err := s.db.CreateIndicator(c.Request.Context(), y, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, ind)
}

// zoneSchemes is the JSON shape of a period's bands: metric → bands, highest first.
type zoneSchemes map[models.Metric]models.Scheme

func (s *Server) listZones(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	schemes, err := s.db.ZoneSchemes(c.Request.Context(), y)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, zoneSchemes(schemes))
}

// setZonesRequest switches a metric to a preset ("default" or "kpk") or to explicit bands.
type setZonesRequest struct {
	Preset string        `json:"preset"`
	Bands  models.Scheme `json:"bands"`
	// Version is the period's version the caller saw; a stale one is a conflict.
	Version *int64 `json:"version"`
}

func (s *Server) setZones(c *gin.Context) {
	y, ok := year(c)
	var in setZonesRequest
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	metric := models.Metric(c.Param("metric"))
	bands := in.Bands
	if in.Preset != "" {
		preset, found := models.ZonePresets[in.Preset]
		if !found {
			fail(c, models.Invalid("preset", "preset"))
			return
		}
		bands = preset[metric]
	}
	if err := s.db.SetZoneScheme(c.Request.Context(), y, metric, bands, in.Version); err != nil {
		fail(c, err)
		return
	}
	s.listZones(c)
}

func (s *Server) updateArea(c *gin.Context) {
	y, ok := year(c)
	var in models.AreaPatch
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	a, err := s.db.UpdateArea(c.Request.Context(), y, c.Param("area"), in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (s *Server) updateIndicator(c *gin.Context) {
	y, ok := year(c)
	var in models.IndicatorPatch
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	ind, err := s.db.UpdateIndicator(c.Request.Context(), y, c.Param("indicator"), in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ind)
}
