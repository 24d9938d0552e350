(title Changes Only)
(meter 6 8)
(tempo 180.0)
| Dm7 G7 | CM7 / / A7b9 | NC | Dm7\G |
Bbm6/c | Fm7/bb | CMajor Cminor7 | Ch7 C7_ |
