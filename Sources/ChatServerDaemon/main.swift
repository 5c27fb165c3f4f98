print("chat-server: not built yet")
