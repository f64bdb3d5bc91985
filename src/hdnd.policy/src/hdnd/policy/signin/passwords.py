"""Password strength: zxcvbn (Dropbox's estimator, maintained on PyPI as
``zxcvbn``) and a list of the commonest passwords, Vietnamese ones included.

zxcvbn scores a password 0-4 from the guesses an attacker would need,
recognising dictionary words (English, names, common passwords), keyboard
patterns, dates, repeats, sequences and l33t substitutions. It knows no
Vietnamese, so the words Vietnamese users build passwords from are given to it
as the user's own inputs (together with their login): "matkhau@2026" or
"Anhyeuem123" count as one guessable word and a suffix, like "password12345".
A password scoring below ``MIN_SCORE`` (3: "safely unguessable", about 10^8
guesses) is too easy to guess. Plain Python.
"""

from zxcvbn import zxcvbn

import re


MIN_SCORE = 3
ESTIMATED = 64  # zxcvbn's time grows with length; what is longer is long enough

# The commonest passwords, and what Vietnamese ones are made of (compared
# lowercase, without accents: typed so on most keyboards).
COMMON = frozenset("""
123456 1234567 12345678 123456789 1234567890 123456789012 111111 000000 123123 112233 121212 654321 666666
888888 999999 abc123 a123456 123456a 123456aa 123qwe qwerty qwertyuiop qwertyuiop12 password password1
password1234 passw0rd admin admin123 admin1234567 iloveyou welcome letmein monkey dragon
matkhau matkhau123 matkhau123456 matkhaucuatoi mk123456 anhyeuem anhyeuem123 emyeuanh
emyeuanh123 yeuem yeuanh yeuemmaimai iloveyou123 toiyeuem toiyeuvietnam vietnam vietnam123 hanoi
hanoi123 saigon hochiminh danang haiphong cantho bongda conyeu hanhphuc thienthan tinhyeu xinchao
chucmung langtu muathu hoahong hoamai bachtuyet kimcuong dienthoai maytinh caidat nguyen tran le pham
hoang huynh phan vu vo dang bui do ho ngo duong ly minh anh ngoc huong thanh trang linh lan hoa mai
tuan hung dung nam long quang huy khanh phuong thao hien ha nhung giang hdnd hdnd12345678 hoidong
hoidongnhandan dangdoan vanphong vanthu ubnd quochoi chinhphu nhandan tinhuy thanhuy congvan
""".split())


def too_easy(password, login=""):
    """Whether ``password`` is too easy to guess: a common password, the login
    in it, or a zxcvbn score below ``MIN_SCORE``."""
    from hdnd.content.core.text import unaccent

    if not password:  # none at all is the easiest (and zxcvbn fails on "": IndexError)
        return True
    plain = unaccent(password).lower()
    if plain in COMMON or (login and login.lower() in plain):
        return True
    inputs = [w for w in (login,) if w] + sorted(COMMON)
    # Digits and separators around a common word add little: "Mật-khẩu-123" is "matkhau".
    if re.sub(r"[\W\d_]+", "", plain) in COMMON:
        return True
    return zxcvbn(unaccent(password)[:ESTIMATED], user_inputs=inputs)["score"] < MIN_SCORE
