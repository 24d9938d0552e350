C | Am7 | Dm7 | G7 |
c4 e4 g4 c+4 a1 d+4 f+4 a+4 f+4 g1
