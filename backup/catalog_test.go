package backup

import (
	"encoding/json"
	"testing"
)

// TestDependencyOrder puts every table after those it refers to, and refuses a cycle.
func TestDependencyOrder(t *testing.T) {
	tables := []*tableInfo{
		{Name: "items", Refs: map[string]string{"region_id": "regions", "claimed_by": "users"}},
		{Name: "users", Refs: map[string]string{"region_id": "regions"}},
		{Name: "regions", Refs: map[string]string{}},
		{Name: "indicators", Refs: map[string]string{"parent_id": "indicators"}},
	}
	got, err := dependencyOrder(tables)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, t := range got {
		names = append(names, t.Name)
	}
	if want := `["indicators","regions","users","items"]`; fmtNames(names) != want {
		t.Fatalf("order %v, want %s", names, want)
	}
	tables[2].Refs["x"] = "items"
	if _, err := dependencyOrder(tables); err == nil {
		t.Fatal("a cycle was accepted")
	}
}

func fmtNames(n []string) string { b, _ := json.Marshal(n); return string(b) }
