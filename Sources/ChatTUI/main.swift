print("chat-tui: not built yet")
