// Progressive enhancement only: every action works as a plain form without this file.
