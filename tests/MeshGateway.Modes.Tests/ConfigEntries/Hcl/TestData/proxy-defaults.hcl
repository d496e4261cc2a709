# proxy-defaults: every proxy in the partition uses its local mesh gateway.
Kind = "proxy-defaults"
Name = "global"
MeshGateway {
  Mode = "local"
}
