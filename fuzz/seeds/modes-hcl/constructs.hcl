a = <<-EOF
  x
  EOF
b = [1, 0x1F, 017, 1.5e3, "\u00e9\t${x}",]
/* c */ c "l" { d = true } # e
