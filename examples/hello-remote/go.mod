module example.com/hello-remote

go 1.22
