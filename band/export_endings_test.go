package band

// KeylessTonic is exported to the tests of package band_test.
var KeylessTonic = keylessTonic
