package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/sheets"
)

// Spreadsheet content types.
const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	csvType  = "text/csv; charset=utf-8"
)

// exportTable writes a table of a period as XLSX or CSV: GET /periods/{year}/export/{table}.{xlsx|csv}
// with ?province= or ?region=, ?sep=; for CSV, and the audit listing's filters for the audit trail
// (admins and reviewers only).
func (s *Server) exportTable(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	table, format, _ := strings.Cut(c.Param("file"), ".")
	if !slices.Contains(sheets.Tables, table) || (format != "xlsx" && format != "csv") {
		fail(c, errNotFound)
		return
	}
	if table == "audit" && !slices.Contains(auditors, currentUser(c).Role) {
		fail(c, errForbidden("role"))
		return
	}
	req := sheets.Request{Year: y, Table: table, Filter: models.RegionFilter{Province: c.Query("province"), Region: c.Query("region")}}
	fields := map[string]string{}
	if p := req.Filter.Province; p != "" && !provincePattern.MatchString(p) {
		fields["province"] = "province_code"
	}
	sep := sheets.Comma
	switch rawQueryValue(c.Request.URL.RawQuery, "sep") {
	case "", ",":
	case ";":
		sep = sheets.Semicolon
	default:
		fields["sep"] = "csv_separator"
	}
	if len(fields) > 0 {
		fail(c, &models.ValidationError{Fields: fields})
		return
	}
	if table == "audit" {
		if req.Audit, ok = auditFilter(c); !ok {
			return
		}
	}
	ctx := c.Request.Context()
	tabs, err := sheets.Export(ctx, s.db, req)
	if err != nil {
		fail(c, err)
		return
	}
	name := fmt.Sprintf("pantau-%d-%s", y, table)
	if f := req.Filter.Region + req.Filter.Province; f != "" {
		name += "-" + f
	}
	// The file is made in a temporary file first, so that a failure half-way is still answered
	// in the contract's shape and never sent as a complete-looking file.
	tmp, err := os.CreateTemp("", "pantau-export-*")
	if err != nil {
		fail(c, err)
		return
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	contentType := xlsxType
	if format == "csv" {
		contentType = csvType
		err = sheets.WriteCSV(tmp, tabs[0], sep)
	} else {
		err = sheets.WriteXLSX(tmp, tabs...)
	}
	if err != nil {
		fail(c, err)
		return
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.DataFromReader(http.StatusOK, size, contentType, tmp, map[string]string{
		"Content-Disposition": mime.FormatMediaType("attachment", map[string]string{"filename": name + "." + format})})
}

// rawQueryValue is a query parameter's value read with "&" as the only separator, so that the
// contract's "?sep=;" is understood as written (net/url drops pairs holding a raw semicolon).
func rawQueryValue(raw, key string) string {
	for _, pair := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if k == key {
			if u, err := url.QueryUnescape(v); err == nil {
				return u
			}
			return v
		}
	}
	return ""
}

// importRowError is a refused row's problem, in words.
type importRowError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// importRow is one row of an import's answer.
type importRow struct {
	Sheet   string                      `json:"sheet,omitempty"`
	Row     int                         `json:"row"`
	Key     string                      `json:"key"`
	Action  models.ImportAction         `json:"action"`
	Errors  []importRowError            `json:"errors"`
	Changes map[string]models.RowChange `json:"changes,omitempty"`
}

// importAnswer is an import's answer; a refused import carries the error besides.
type importAnswer struct {
	Error   *errorDetail        `json:"error,omitempty"`
	DryRun  bool                `json:"dry_run"`
	Applied bool                `json:"applied"`
	Rows    []importRow         `json:"rows"`
	Totals  models.ImportTotals `json:"totals"`
}

// importLimits bound an import's file.
var importLimits = sheets.DefaultLimits

func (s *Server) importCatalogue(c *gin.Context) {
	s.importSheet(c, sheets.CatalogueLayout, func(y int, recs []sheets.Record, apply bool) (*models.ImportResult, error) {
		return s.db.ImportCatalogue(c.Request.Context(), y, sheets.CatalogueLines(recs), apply)
	})
}

func (s *Server) importClaims(c *gin.Context) {
	s.importSheet(c, sheets.ClaimsLayout, func(y int, recs []sheets.Record, apply bool) (*models.ImportResult, error) {
		return s.db.ImportClaims(c.Request.Context(), currentUser(c), y, sheets.ClaimLines(recs), apply)
	})
}

// importSheet reads the multipart field "file" (XLSX or CSV) in the layout and answers what
// run did with its rows: a plan with ?dry_run=true, else the plan applied, or 422 with the plan
// when a row was refused.
func (s *Server) importSheet(c *gin.Context, layout sheets.Layout, run func(int, []sheets.Record, bool) (*models.ImportResult, error)) {
	y, ok := year(c)
	if !ok {
		return
	}
	var dry bool
	switch c.Query("dry_run") {
	case "true", "1":
		dry = true
	case "", "false", "0":
	default:
		fail(c, models.Invalid("dry_run", "boolean"))
		return
	}
	if _, err := s.db.PeriodByYear(c.Request.Context(), y); err != nil {
		fail(c, err)
		return
	}
	data, err := s.importFile(c)
	if err != nil {
		fail(c, err)
		return
	}
	recs, err := sheets.Read(data, layout, importLimits)
	var missing *sheets.MissingColumnsError
	switch {
	case errors.As(err, &missing):
		fields := map[string]string{}
		for _, col := range missing.Missing {
			fields[col] = "missing_column"
		}
		fail(c, &models.ValidationError{Fields: fields})
		return
	case errors.Is(err, sheets.ErrNotSpreadsheet):
		fail(c, &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Key: "not_spreadsheet"})
		return
	case errors.Is(err, sheets.ErrTooLarge):
		fail(c, &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Key: "import_too_large"})
		return
	case err != nil:
		fail(c, err)
		return
	}
	res, err := run(y, recs, !dry)
	if err != nil && !errors.Is(err, models.ErrImportRefused) {
		fail(c, err)
		return
	}
	lang := requestLanguage(c.Request)
	answer := importAnswer{DryRun: dry, Applied: res.Applied, Rows: make([]importRow, len(res.Rows)), Totals: res.Totals}
	for i, r := range res.Rows {
		row := importRow{Sheet: r.Sheet, Row: r.Row, Key: r.Key, Action: r.Action, Errors: make([]importRowError, len(r.Errors)), Changes: r.Changes}
		for j, p := range r.Errors {
			row.Errors[j] = importRowError{Field: p.Field, Code: p.Code, Message: fieldMessage(lang, p.Code)}
		}
		answer.Rows[i] = row
	}
	status := http.StatusOK
	if err != nil {
		status = http.StatusUnprocessableEntity
		answer.Error = &errorDetail{Code: "validation_failed", Message: message(lang, "validation_failed", "import_refused")}
	}
	c.JSON(status, answer)
}

// importFile reads the multipart field "file" into memory, up to the import limit.
func (s *Server) importFile(c *gin.Context) ([]byte, error) {
	var data []byte
	tooLarge := &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Key: "import_too_large"}
	err := readForm(c, importLimits.Bytes+1<<20, tooLarge, []string{"file"}, func(part *multipart.Part) error {
		if data != nil {
			return nil
		}
		b, err := io.ReadAll(io.LimitReader(part, importLimits.Bytes+1))
		if err != nil {
			return importError(err)
		}
		if int64(len(b)) > importLimits.Bytes {
			return tooLarge
		}
		if len(b) == 0 {
			return models.ErrEmptyFile
		}
		data = b
		return nil
	})
	if err != nil {
		return nil, err
	}
	if data == nil {
		return nil, models.Invalid("file", "required")
	}
	return data, nil
}

func importError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Key: "import_too_large"}
	}
	return errBadRequest("not_multipart")
}
