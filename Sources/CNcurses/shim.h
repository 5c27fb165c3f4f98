#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1   // set here: SwiftPM drops pkg-config -D flags
#include <locale.h>
#include <wchar.h>
#include <langinfo.h>
#include <ncursesw/curses.h>

extern int wcwidth(wchar_t c);  // hidden by the Glibc module (built without __USE_XOPEN)

static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_key_f(int n) { return KEY_F(n); }
static inline attr_t cn_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static const attr_t CN_A_BOLD = A_BOLD, CN_A_REVERSE = A_REVERSE, CN_A_UNDERLINE = A_UNDERLINE, CN_A_DIM = A_DIM, CN_A_ITALIC = A_ITALIC;
static inline const cchar_t *cn_wacs_vline(void) { return WACS_VLINE; }
static inline const cchar_t *cn_wacs_hline(void) { return WACS_HLINE; }
static inline void cn_getmaxyx(WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }
static inline void cn_getyx(WINDOW *w, int *y, int *x) { getyx(w, *y, *x); }
static inline int cn_set_escdelay(int ms) { return set_escdelay(ms); }

// Added for chat-tui's view: mouse wheel masks and key codes that are macros in curses.h.
static inline mmask_t cn_wheel_mask(void) { return BUTTON4_PRESSED | BUTTON5_PRESSED; }
static inline int cn_is_wheel_up(mmask_t m) { return (m & BUTTON4_PRESSED) != 0; }
static inline int cn_is_wheel_down(mmask_t m) { return (m & BUTTON5_PRESSED) != 0; }
static const int CN_KEY_MOUSE = KEY_MOUSE, CN_KEY_RESIZE = KEY_RESIZE, CN_KEY_BTAB = KEY_BTAB;
#endif
