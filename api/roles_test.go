package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pantau-id/pantau/models"
)

// access says who may call a route. regionScoped routes let an operator through for their own
// region (62.08) only; the matrix tries both the own and another region (62.71).
type access struct {
	public       bool
	roles        []models.Role
	regionScoped bool
	// scraper: only a configured address or the metrics token, never a user.
	scraper bool
}

var everyone = []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator, models.RoleReviewer, models.RoleSignatory}

// roleMatrix lists every route the router registers. A route missing here fails the test.
var roleMatrix = map[string]access{
	"GET /healthz":             {public: true},
	"GET /readyz":              {public: true},
	"GET /metrics":             {scraper: true},
	"GET /api/openapi.json":    {public: true},
	"POST /api/v1/auth/login":  {public: true},
	"GET /api/v1/verify/:code": {public: true},
	"POST /api/v1/verify":      {public: true},
	"GET /api/v1/labels":       {public: true},

	"POST /api/v1/auth/logout": {roles: everyone},
	"GET /api/v1/me":           {roles: everyone},
	"PUT /api/v1/me/password":  {roles: everyone},
	"GET /api/v1/users":        {roles: []models.Role{models.RoleAdmin}},
	"GET /api/v1/signatories":  {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"POST /api/v1/users":       {roles: []models.Role{models.RoleAdmin}},
	"PATCH /api/v1/users/:id":  {roles: []models.Role{models.RoleAdmin}},

	"GET /api/v1/regions":  {roles: everyone},
	"POST /api/v1/regions": {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},

	"GET /api/v1/periods":                               {roles: everyone},
	"POST /api/v1/periods":                              {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"GET /api/v1/periods/:year":                         {roles: everyone},
	"PATCH /api/v1/periods/:year":                       {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"GET /api/v1/periods/:year/progress":                {roles: everyone},
	"GET /api/v1/periods/:year/todo":                    {roles: everyone},
	"GET /api/v1/periods/:year/review-queue":            {roles: everyone},
	"GET /api/v1/periods/:year/areas":                   {roles: everyone},
	"POST /api/v1/periods/:year/areas":                  {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"GET /api/v1/periods/:year/indicators":              {roles: everyone},
	"POST /api/v1/periods/:year/indicators":             {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"PATCH /api/v1/periods/:year/areas/:area":           {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"PATCH /api/v1/periods/:year/indicators/:indicator": {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"GET /api/v1/periods/:year/zones":                   {roles: everyone},
	"PUT /api/v1/periods/:year/zones/:metric":           {roles: []models.Role{models.RoleAdmin}},
	"GET /api/v1/periods/:year/summary":                 {roles: everyone},
	"GET /api/v1/periods/:year/export/:file":            {roles: everyone},
	"POST /api/v1/periods/:year/import/catalogue":       {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"POST /api/v1/periods/:year/import/claims":          {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator}},

	"GET /api/v1/periods/:year/reports/progress.pdf":               {roles: everyone},
	"GET /api/v1/periods/:year/regions/:code/reports/progress.pdf": {roles: everyone},

	"GET /api/v1/periods/:year/regions/:code/items":                          {roles: everyone},
	"PATCH /api/v1/periods/:year/regions/:code/items/:indicator":             {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator}, regionScoped: true},
	"POST /api/v1/periods/:year/regions/:code/items/:indicator/evidence":     {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator}, regionScoped: true},
	"POST /api/v1/periods/:year/regions/:code/items/:indicator/reviews":      {roles: []models.Role{models.RoleAdmin, models.RoleReviewer}},
	"GET /api/v1/periods/:year/regions/:code/delegation":                     {roles: everyone},
	"GET /api/v1/periods/:year/regions/:code/explanation":                    {roles: everyone},
	"GET /api/v1/periods/:year/regions/:code/remediation":                    {roles: everyone},
	"POST /api/v1/periods/:year/regions/:code/remediation":                   {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator}, regionScoped: true},
	"PATCH /api/v1/periods/:year/regions/:code/remediation/:id":              {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator}, regionScoped: true},
	"DELETE /api/v1/periods/:year/regions/:code/remediation/:id":             {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator}, regionScoped: true},
	"PUT /api/v1/periods/:year/regions/:code/items/:indicator/applicability": {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator}, regionScoped: true},
	"POST /api/v1/periods/:year/close":                                       {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"POST /api/v1/periods/:year/reopen":                                      {roles: []models.Role{models.RoleAdmin}},
	"GET /api/v1/periods/:year/extensions":                                   {roles: everyone},
	"PUT /api/v1/periods/:year/regions/:code/extension":                      {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"GET /api/v1/periods/:year/catalogue":                                    {roles: everyone},
	"POST /api/v1/periods/:year/catalogue/copy":                              {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"GET /api/v1/regions/:code/trend":                                        {roles: everyone},
	"PUT /api/v1/periods/:year/regions/:code/delegation":                     {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator}, regionScoped: true},
	"PUT /api/v1/periods/:year/regions/:code/delegation/permits":             {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator}, regionScoped: true},
	"GET /api/v1/periods/:year/regions/:code/delegation/documents":           {roles: everyone},
	"POST /api/v1/periods/:year/regions/:code/delegation/documents":          {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator}, regionScoped: true},
	"GET /api/v1/periods/:year/regions/:code/delegation/documents/:id/file":  {roles: everyone},
	"GET /api/v1/periods/:year/regions/:code/items/:indicator/history":       {roles: everyone},
	"GET /api/v1/letterhead":                                                 {roles: everyone},
	"PUT /api/v1/letterhead":                                                 {roles: []models.Role{models.RoleAdmin}},
	"GET /api/v1/audit":                                                      {roles: []models.Role{models.RoleAdmin, models.RoleReviewer}},
	"PUT /api/v1/evidence/:id/review":                                        {roles: []models.Role{models.RoleAdmin, models.RoleReviewer}},
	"GET /api/v1/evidence/:id":                                               {roles: everyone},

	"GET /api/v1/signing/ca.pem":                               {public: true},
	"GET /api/v1/signing/crl":                                  {public: true},
	"POST /api/v1/signing/ocsp":                                {public: true},
	"GET /api/v1/signing/ocsp/*request":                        {public: true},
	"GET /api/v1/commitments":                                  {roles: everyone},
	"POST /api/v1/commitments":                                 {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"GET /api/v1/commitments/:id":                              {roles: everyone},
	"GET /api/v1/commitments/:id/document.pdf":                 {roles: everyone},
	"PUT /api/v1/commitments/:id/signatories/:slot":            {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"POST /api/v1/commitments/:id/signatories/:slot/sign":      {roles: []models.Role{models.RoleSignatory}},
	"PUT /api/v1/commitments/:id/signatories/:slot/delegation": {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"GET /api/v1/commitments/:id/signatories/:slot/delegation": {roles: everyone},
	"POST /api/v1/commitments/:id/void":                        {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"POST /api/v1/me/sign-batch":                               {roles: []models.Role{models.RoleSignatory}},
	"GET /api/v1/commitment-template":                          {roles: []models.Role{models.RoleAdmin, models.RoleCoordinator}},
	"PUT /api/v1/commitment-template":                          {roles: []models.Role{models.RoleAdmin}},
	"GET /api/v1/me/signing-key":                               {roles: []models.Role{models.RoleSignatory}},
	"PUT /api/v1/me/signing-key":                               {roles: []models.Role{models.RoleSignatory}},
	"POST /api/v1/users/:id/signing-key":                       {roles: []models.Role{models.RoleAdmin}},
	"POST /api/v1/users/:id/signing-key/revoke":                {roles: []models.Role{models.RoleAdmin}},

	"GET /api/v1/periods/:year/regions/:code/items/:indicator/comments":        {roles: discussants, regionScoped: true},
	"POST /api/v1/periods/:year/regions/:code/items/:indicator/comments":       {roles: discussants, regionScoped: true},
	"PATCH /api/v1/periods/:year/regions/:code/items/:indicator/comments/:id":  {roles: discussants, regionScoped: true},
	"DELETE /api/v1/periods/:year/regions/:code/items/:indicator/comments/:id": {roles: discussants, regionScoped: true},
	"GET /api/v1/me/notifications":                                             {roles: everyone},
	"POST /api/v1/me/notifications/read":                                       {roles: everyone},
	"GET /api/v1/me/preferences":                                               {roles: everyone},
	"PUT /api/v1/me/preferences":                                               {roles: everyone},
	"GET /api/v1/unsubscribe":                                                  {public: true},
	"POST /api/v1/unsubscribe":                                                 {public: true},
}

// fill puts concrete values into a route pattern.
func fill(pattern, region string) string {
	return strings.NewReplacer(":year", "2019", ":code", region, ":indicator", "I1", ":area", "PTSP", ":metric", "action_plan", ":file", "summary.xlsx", ":id", "1", ":slot", "regent", "*request", "MAA=").Replace(pattern)
}

// TestRoleMatrix calls every registered route as every role (and anonymously) and checks that
// exactly the roles in roleMatrix get past authentication and authorisation.
func TestRoleMatrix(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.mustOK(e.upload("/api/v1/periods/2019/regions/62.08/items/I1/evidence", "coordinator", "a.pdf", samplePDF(t, "matrix")))
		seen := map[string]bool{}
		for _, rt := range e.engine.Routes() {
			key := rt.Method + " " + rt.Path
			seen[key] = true
			acc, ok := roleMatrix[key]
			if !ok {
				t.Errorf("route %s is not in the role matrix", key)
				continue
			}
			anon := e.call(rt.Method, fill(rt.Path, "62.08"), asAnonymous, "{}")
			if acc.scraper {
				for _, role := range append([]models.Role{asAnonymous}, testRoles...) {
					if r := e.call(rt.Method, rt.Path, role, nil); r.Status != http.StatusForbidden {
						t.Errorf("%s as %q: %d, want 403", key, role, r.Status)
					}
				}
				continue
			}
			if acc.public {
				if anon.Status == http.StatusUnauthorized || anon.Status == http.StatusForbidden {
					t.Errorf("%s is public but answered %d anonymously", key, anon.Status)
				}
				continue
			}
			if anon.Status != http.StatusUnauthorized {
				t.Errorf("%s anonymously: %d, want 401", key, anon.Status)
			}
			for _, role := range testRoles {
				allowed := contains(acc.roles, role) || (role == asOperator2 && contains(acc.roles, models.RoleOperator))
				path := fill(rt.Path, "62.08")
				if role == asOperator2 && acc.regionScoped {
					allowed = false // 62.08 is not this operator's region
				}
				token := role
				if rt.Path == "/api/v1/auth/logout" {
					token = "logout-" + role
					e.tokens[token] = e.login(e.users[role].Email)
				}
				r := e.call(rt.Method, path, token, "{}")
				denied := r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden
				if allowed && denied {
					t.Errorf("%s as %s: %d %s, want access", key, role, r.Status, r.Body)
				}
				if !allowed && r.Status != http.StatusForbidden {
					t.Errorf("%s as %s: %d, want 403", key, role, r.Status)
				}
			}
			if acc.regionScoped {
				r := e.call(rt.Method, fill(rt.Path, "62.71"), models.RoleOperator, "{}")
				if r.Status != http.StatusForbidden {
					t.Errorf("%s as the operator of 62.08 on 62.71: %d, want 403", key, r.Status)
				}
				r = e.call(rt.Method, fill(rt.Path, "62.71"), asOperator2, "{}")
				if r.Status == http.StatusForbidden || r.Status == http.StatusUnauthorized {
					t.Errorf("%s as the operator of 62.71 on 62.71: %d, want access", key, r.Status)
				}
			}
		}
		for key := range roleMatrix {
			if !seen[key] {
				t.Errorf("role matrix lists %s, which the router does not register", key)
			}
		}
	})
}

func contains(list []models.Role, s models.Role) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// nationalRoutes change what every province shares — periods, the catalogue, the year's
// lifecycle — so a coordinator scoped to a province may not call them.
var nationalRoutes = map[string]bool{
	"POST /api/v1/periods": true, "PATCH /api/v1/periods/:year": true, "POST /api/v1/periods/:year/close": true,
	"POST /api/v1/periods/:year/areas": true, "PATCH /api/v1/periods/:year/areas/:area": true,
	"POST /api/v1/periods/:year/indicators": true, "PATCH /api/v1/periods/:year/indicators/:indicator": true,
	"POST /api/v1/periods/:year/catalogue/copy": true, "POST /api/v1/periods/:year/import/catalogue": true,
}

// TestProvinceScopeInTheMatrix: a coordinator and a reviewer scoped to province 65 act on its
// Pemda (65.02) and nowhere else (62.08), and the coordinator calls no national route.
func TestProvinceScopeInTheMatrix(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		for _, r := range []map[string]string{{"code": "65", "name": "Provinsi Kalimantan Utara", "kind": "province"},
			{"code": "65.02", "name": "Kabupaten Bulungan", "kind": "regency"}} {
			e.mustOK(e.call("POST", "/api/v1/regions", models.RoleCoordinator, r))
		}
		for _, u := range []struct {
			token models.Role
			role  models.Role
		}{{"coordinator65", models.RoleCoordinator}, {"reviewer65", models.RoleReviewer}} {
			email := string(u.token) + "@test.pantau.id"
			e.mustOK(e.call("POST", "/api/v1/users", models.RoleAdmin, map[string]any{"email": email, "name": string(u.token), "role": u.role,
				"password": testPassword, "province": "65"}))
			e.tokens[u.token] = e.login(email)
		}
		checked := 0
		for key, acc := range roleMatrix {
			method, pattern, _ := strings.Cut(key, " ")
			reviews := strings.HasSuffix(pattern, "/reviews")
			scoped := acc.regionScoped || strings.HasSuffix(pattern, "/extension")
			switch {
			case nationalRoutes[key]:
				if r := e.call(method, fill(pattern, "62.08"), "coordinator65", "{}"); r.Status != http.StatusForbidden {
					t.Errorf("%s as a provincial coordinator: %d, want 403", key, r.Status)
				}
			case scoped || reviews:
				who := models.Role("coordinator65")
				if reviews {
					who = "reviewer65"
				}
				if r := e.call(method, fill(pattern, "62.08"), who, "{}"); r.Status != http.StatusForbidden {
					t.Errorf("%s as %s on 62.08: %d, want 403", key, who, r.Status)
				}
				if r := e.call(method, fill(pattern, "65.02"), who, "{}"); r.Status == http.StatusForbidden || r.Status == http.StatusUnauthorized {
					t.Errorf("%s as %s on 65.02: %d %s, want access", key, who, r.Status, r.Body)
				}
			default:
				continue
			}
			checked++
		}
		if checked < 14 {
			t.Errorf("only %d routes checked for province scope", checked)
		}
	})
}
