// Command hello-remote is a tiny HTTP server used as the example workspace
// for gord. It is deliberately ordinary: a module with no dependencies, one
// handler and a test, the kind of project a developer opens over Remote-SSH.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"time"
)

// greeting builds the text the server answers with. An empty or blank name
// is treated as "world".
func greeting(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "world"
	}
	return fmt.Sprintf("hello, %s\n", name)
}

// helloHandler answers GET and HEAD requests with a greeting for the
// "name" query parameter; other methods get 405 Method Not Allowed.
func helloHandler(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, greeting(r.URL.Query().Get("name")))
}

// newMux wires the routes, so tests exercise the same routing as main.
func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/", helloHandler)
	return mux
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (host:port)")
	flag.Parse()

	srv := &http.Server{
		Addr:              *addr,
		Handler:           newMux(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Printf("listening on http://%s", *addr)
	log.Fatal(srv.ListenAndServe())
}
