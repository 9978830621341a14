package mackereltest

import (
	"net/http"
	"slices"
	"unicode/utf8"

	mkr "github.com/mackerelio/mackerel-client-go"
)

func (s *Server) listAnnotations(w http.ResponseWriter, r *http.Request) {
	service := r.URL.Query().Get("service")
	from, err := epochParam(r, "from")
	var to int64
	if err == nil {
		to, err = epochParam(r, "to")
	}
	if service == "" || err != nil {
		writeError(w, http.StatusBadRequest, "service, from and to are required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.hasService(service) {
		writeError(w, http.StatusNotFound, "Service not found")
		return
	}
	list := []*mkr.GraphAnnotation{}
	for _, a := range s.annotations {
		if a.Service == service && a.From <= to && a.To >= from {
			list = append(list, a)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"graphAnnotations": list})
}

// validateAnnotation checks an annotation; callers hold s.mu.
func (s *Server) validateAnnotation(a *mkr.GraphAnnotation) (int, string) {
	switch {
	case a.Title == "":
		return http.StatusBadRequest, "title is required"
	case utf8.RuneCountInString(a.Title) > 250:
		return http.StatusBadRequest, "title must be at most 250 characters"
	case utf8.RuneCountInString(a.Description) > 1024:
		return http.StatusBadRequest, "description must be at most 1024 characters"
	case a.From == 0 || a.To == 0:
		return http.StatusBadRequest, "from and to are required"
	case a.From > a.To:
		return http.StatusBadRequest, "from must not be after to"
	case a.Service == "":
		return http.StatusBadRequest, "service is required"
	case !s.hasService(a.Service):
		return http.StatusNotFound, "Service not found"
	}
	for _, r := range a.Roles {
		if !slices.ContainsFunc(s.roles[a.Service], func(x *mkr.Role) bool { return x.Name == r }) {
			return http.StatusNotFound, "Role not found: " + r
		}
	}
	return 0, ""
}

func (s *Server) createAnnotation(w http.ResponseWriter, r *http.Request) {
	var a mkr.GraphAnnotation
	if !decodeBody(w, r, &a) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if code, msg := s.validateAnnotation(&a); code != 0 {
		writeError(w, code, msg)
		return
	}
	a.ID = s.newID("annotation")
	s.annotations = append(s.annotations, &a)
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) annotation(id string) int {
	return slices.IndexFunc(s.annotations, func(a *mkr.GraphAnnotation) bool { return a.ID == id })
}

func (s *Server) updateAnnotation(w http.ResponseWriter, r *http.Request) {
	var a mkr.GraphAnnotation
	if !decodeBody(w, r, &a) {
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.annotation(id)
	if i < 0 {
		writeError(w, http.StatusNotFound, "Graph annotation not found")
		return
	}
	if code, msg := s.validateAnnotation(&a); code != 0 {
		writeError(w, code, msg)
		return
	}
	a.ID = id
	s.annotations[i] = &a
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) deleteAnnotation(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.annotation(r.PathValue("id"))
	if i < 0 {
		writeError(w, http.StatusNotFound, "Graph annotation not found")
		return
	}
	a := s.annotations[i]
	s.annotations = slices.Delete(s.annotations, i, i+1)
	writeJSON(w, http.StatusOK, a)
}
