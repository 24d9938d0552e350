module sideman

go 1.26
