# A service with a sidecar: the proxy defaults to the local gateway, one upstream asks for the remote one.
service {
  name = "web"
  port = 8080
  connect {
    sidecar_service {
      proxy {
        mesh_gateway {
          mode = "local"
        }
        upstreams = [
          {
            destination_name = "api"
            datacenter = "dc2"
            local_bind_port = 10000
            mesh_gateway {
              mode = "remote"
            }
          },
          {
            destination_name = "cache"
            datacenter = "dc2"
            local_bind_port = 10001
          },
        ]
      }
    }
  }
}
