// service-defaults for the downstream service "web": its upstreams go through the remote gateway.
Kind = "service-defaults"
Name = "web"
Protocol = "tcp"
MeshGateway {
  Mode = "remote"
}
