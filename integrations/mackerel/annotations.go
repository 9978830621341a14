package mackerel

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	mkr "github.com/mackerelio/mackerel-client-go"
)

// Annotation is a graph annotation: a titled period on the graphs of a
// service (all its roles, or only Roles).
type Annotation struct {
	ID          string    `json:"id,omitempty"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Service     string    `json:"service"`
	Roles       []string  `json:"roles,omitempty"`
}

// Validate checks what Mackerel checks, with messages for the form.
func (a Annotation) Validate() error {
	switch {
	case strings.TrimSpace(a.Title) == "":
		return fmt.Errorf("%w: the annotation needs a title", ErrRejected)
	case utf8.RuneCountInString(a.Title) > 250:
		return fmt.Errorf("%w: the title is longer than 250 characters", ErrRejected)
	case utf8.RuneCountInString(a.Description) > 1024:
		return fmt.Errorf("%w: the description is longer than 1024 characters", ErrRejected)
	case a.From.IsZero() || a.To.IsZero():
		return fmt.Errorf("%w: the annotation needs a start and an end", ErrRejected)
	case a.From.After(a.To):
		return fmt.Errorf("%w: the annotation ends before it starts", ErrRejected)
	case a.Service == "":
		return fmt.Errorf("%w: the annotation needs a service", ErrRejected)
	}
	return nil
}

func annotationFromAPI(a *mkr.GraphAnnotation) Annotation {
	return Annotation{ID: a.ID, Title: a.Title, Description: a.Description,
		From: time.Unix(a.From, 0), To: time.Unix(a.To, 0), Service: a.Service, Roles: a.Roles}
}

func (a Annotation) toAPI() *mkr.GraphAnnotation {
	return &mkr.GraphAnnotation{ID: a.ID, Title: a.Title, Description: a.Description,
		From: a.From.Unix(), To: a.To.Unix(), Service: a.Service, Roles: a.Roles}
}

func (c *Client) findAnnotations(ctx context.Context, service string, from, to time.Time) ([]Annotation, error) {
	list, err := c.api.FindGraphAnnotationsContext(ctx, service, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("graph annotations of %s: %w", service, classify(err))
	}
	out := make([]Annotation, 0, len(list))
	for _, a := range list {
		out = append(out, annotationFromAPI(a))
	}
	return out, nil
}

// Annotations lists the graph annotations of a service overlapping [from, to].
func (c *Client) Annotations(ctx context.Context, service string, from, to time.Time) (Fetched[[]Annotation], error) {
	key := fmt.Sprintf("annotations:%s:%d:%d", service, from.Unix(), to.Unix())
	return read(ctx, c, key, func(ctx context.Context) ([]Annotation, error) {
		return c.findAnnotations(ctx, service, from, to)
	})
}

// CreateAnnotation creates a graph annotation and returns it with its id.
func (c *Client) CreateAnnotation(ctx context.Context, a Annotation) (Annotation, error) {
	if c.Offline() {
		return Annotation{}, fmt.Errorf("create annotation: %w", ErrOffline)
	}
	if err := a.Validate(); err != nil {
		return Annotation{}, err
	}
	a.ID = ""
	res, err := retryDo(ctx, c.retry, false, func(ctx context.Context) (*mkr.GraphAnnotation, error) {
		r, err := c.api.CreateGraphAnnotationContext(ctx, a.toAPI())
		return r, classify(err)
	})
	if err != nil {
		return Annotation{}, fmt.Errorf("create annotation %q: %w", a.Title, err)
	}
	return annotationFromAPI(res), nil
}

// UpdateAnnotation replaces the annotation a.ID.
func (c *Client) UpdateAnnotation(ctx context.Context, a Annotation) (Annotation, error) {
	if c.Offline() {
		return Annotation{}, fmt.Errorf("update annotation: %w", ErrOffline)
	}
	if err := a.Validate(); err != nil {
		return Annotation{}, err
	}
	res, err := retryDo(ctx, c.retry, true, func(ctx context.Context) (*mkr.GraphAnnotation, error) {
		r, err := c.api.UpdateGraphAnnotationContext(ctx, a.ID, a.toAPI())
		return r, classify(err)
	})
	if err != nil {
		return Annotation{}, fmt.Errorf("update annotation %q: %w", a.Title, err)
	}
	return annotationFromAPI(res), nil
}

// DeleteAnnotation deletes an annotation and returns it as it was.
func (c *Client) DeleteAnnotation(ctx context.Context, id string) (Annotation, error) {
	if c.Offline() {
		return Annotation{}, fmt.Errorf("delete annotation: %w", ErrOffline)
	}
	res, err := retryDo(ctx, c.retry, true, func(ctx context.Context) (*mkr.GraphAnnotation, error) {
		r, err := c.api.DeleteGraphAnnotationContext(ctx, id)
		return r, classify(err)
	})
	if err != nil {
		return Annotation{}, fmt.Errorf("delete annotation %s: %w", id, err)
	}
	return annotationFromAPI(res), nil
}
