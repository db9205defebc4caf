/**
 * The roles Mosaic can suggest, written by the Mosaic team (not scraped). Skills and values are
 * short phrases in the words people use about themselves, because matching compares them with
 * the person's own workbook answers, chat and résumé text. A role's id is its title as a slug:
 * it is stored in job_matches, so changing a title keeps old matches only if the id is kept.
 */
export interface CatalogueRole {
  id: string;
  title: string;
  field: string;
  skills: string[];
  values: string[];
  entryPaths: string[];
}

type RoleTuple = [title: string, skills: string[], values: string[], entryPaths: string[]];

const slug = (title: string) =>
  title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function field(name: string, roles: RoleTuple[]): CatalogueRole[] {
  return roles.map(([title, skills, values, entryPaths]) => ({ id: slug(title), title, field: name, skills, values, entryPaths }));
}

export const CATALOGUE: readonly CatalogueRole[] = [
  ...field('Technology', [
    ['Software Developer', ['programming', 'javascript', 'python', 'debugging', 'software design', 'testing', 'problem solving'], ['building things', 'continuous learning', 'autonomy'], ['computer science degree', 'coding bootcamp', 'self-taught portfolio']],
    ['Data Analyst', ['sql', 'spreadsheets', 'data analysis', 'statistics', 'data visualization', 'reporting'], ['curiosity', 'accuracy', 'problem solving'], ['degree in statistics or economics', 'analytics certificate', 'internal move from operations']],
    ['Data Scientist', ['python', 'machine learning', 'statistics', 'data analysis', 'experiment design', 'research'], ['curiosity', 'innovation', 'continuous learning'], ['masters in data science', 'phd in a quantitative field', 'analyst to scientist track']],
    ['UX Designer', ['user research', 'wireframing', 'prototyping', 'interaction design', 'usability testing', 'empathy'], ['creativity', 'helping people', 'collaboration'], ['design degree', 'ux bootcamp', 'portfolio of case studies']],
    ['IT Support Specialist', ['troubleshooting', 'customer service', 'networking', 'hardware', 'operating systems', 'patience'], ['helping people', 'stability', 'problem solving'], ['comptia a+ certificate', 'help desk entry role', 'community college it program']],
    ['Cybersecurity Analyst', ['network security', 'risk assessment', 'incident response', 'linux', 'attention to detail', 'security monitoring'], ['protecting others', 'integrity', 'continuous learning'], ['security+ certificate', 'it support to security track', 'cybersecurity degree']],
    ['DevOps Engineer', ['cloud infrastructure', 'automation', 'linux', 'scripting', 'continuous integration', 'monitoring'], ['reliability', 'efficiency', 'autonomy'], ['systems administration experience', 'cloud certification', 'software developer transition']],
    ['Product Manager', ['product strategy', 'stakeholder management', 'prioritization', 'user research', 'communication', 'roadmapping'], ['impact', 'leadership', 'collaboration'], ['move from engineering or design', 'associate product manager program', 'mba']],
    ['Web Developer', ['html', 'css', 'javascript', 'web design', 'responsive design', 'content management systems'], ['creativity', 'independence', 'building things'], ['coding bootcamp', 'freelance portfolio', 'web development certificate']],
    ['Database Administrator', ['sql', 'database design', 'backup and recovery', 'performance tuning', 'data security'], ['reliability', 'accuracy', 'stability'], ['it degree', 'database vendor certification', 'developer to dba track']],
    ['Technical Writer', ['technical writing', 'editing', 'documentation', 'explaining complex ideas', 'research'], ['clarity', 'helping people', 'independence'], ['english or communications degree', 'writing samples portfolio', 'move from support or engineering']],
    ['Quality Assurance Tester', ['testing', 'attention to detail', 'bug reporting', 'test automation', 'documentation'], ['accuracy', 'quality', 'teamwork'], ['entry qa role', 'istqb certificate', 'self-taught automation']],
  ]),
  ...field('Health', [
    ['Registered Nurse', ['patient care', 'clinical assessment', 'medication administration', 'communication', 'teamwork', 'empathy'], ['helping people', 'caring for others', 'job security'], ['nursing degree', 'nclex licence', 'hospital residency program']],
    ['Physical Therapist', ['rehabilitation', 'anatomy', 'exercise planning', 'patient education', 'empathy'], ['helping people', 'active work', 'seeing progress'], ['doctor of physical therapy', 'clinical placements', 'state licence']],
    ['Occupational Therapist', ['rehabilitation', 'assessment', 'adaptive equipment', 'patient education', 'problem solving'], ['helping people', 'independence for others', 'creativity'], ['masters in occupational therapy', 'fieldwork placements', 'licence exam']],
    ['Pharmacist', ['pharmacology', 'medication review', 'patient counseling', 'attention to detail', 'chemistry'], ['accuracy', 'helping people', 'stability'], ['pharmacy degree', 'pre-registration year', 'licensing exam']],
    ['Medical Laboratory Scientist', ['laboratory testing', 'microbiology', 'quality control', 'attention to detail', 'lab equipment'], ['accuracy', 'science', 'behind the scenes impact'], ['biomedical science degree', 'clinical lab placement', 'certification exam']],
    ['Paramedic', ['emergency care', 'staying calm under pressure', 'patient assessment', 'driving', 'teamwork'], ['helping people', 'adventure', 'variety'], ['emt certificate', 'paramedic program', 'ambulance service trainee']],
    ['Dental Hygienist', ['oral health', 'patient education', 'manual dexterity', 'infection control', 'communication'], ['helping people', 'work life balance', 'stability'], ['dental hygiene associate degree', 'clinical hours', 'licence exam']],
    ['Mental Health Counselor', ['counseling', 'active listening', 'empathy', 'crisis intervention', 'case notes'], ['helping people', 'meaningful work', 'compassion'], ['masters in counseling', 'supervised clinical hours', 'licence']],
    ['Dietitian', ['nutrition', 'meal planning', 'patient education', 'health coaching', 'research'], ['health', 'helping people', 'continuous learning'], ['nutrition degree', 'dietetic internship', 'registration exam']],
    ['Medical Assistant', ['patient intake', 'scheduling', 'vital signs', 'medical records', 'customer service'], ['helping people', 'stability', 'teamwork'], ['medical assistant certificate', 'on the job training', 'community college program']],
    ['Health Care Administrator', ['operations management', 'budgeting', 'healthcare regulations', 'leadership', 'scheduling'], ['leadership', 'impact', 'organization'], ['health administration degree', 'move from clinical role', 'mha']],
    ['Veterinary Technician', ['animal care', 'laboratory testing', 'anesthesia monitoring', 'client communication', 'compassion'], ['caring for animals', 'helping others', 'variety'], ['vet tech associate degree', 'clinic assistant role', 'credential exam']],
  ]),
  ...field('Education', [
    ['Primary School Teacher', ['lesson planning', 'classroom management', 'teaching', 'patience', 'creativity', 'communication'], ['helping children', 'making a difference', 'creativity'], ['education degree', 'teaching credential', 'teaching assistant route']],
    ['Secondary School Teacher', ['teaching', 'lesson planning', 'subject expertise', 'assessment', 'mentoring'], ['making a difference', 'continuous learning', 'community'], ['subject degree plus teaching qualification', 'career changer program', 'teach first style program']],
    ['Special Education Teacher', ['individualized learning plans', 'patience', 'behavior support', 'teaching', 'collaboration with families'], ['helping people', 'compassion', 'inclusion'], ['special education credential', 'teaching assistant experience', 'masters in special education']],
    ['Instructional Designer', ['curriculum design', 'e-learning', 'writing', 'learning theory', 'project management'], ['creativity', 'helping people learn', 'flexibility'], ['teacher transition', 'instructional design certificate', 'portfolio of courses']],
    ['School Counselor', ['counseling', 'career guidance', 'active listening', 'crisis intervention', 'mentoring'], ['helping young people', 'compassion', 'community'], ['masters in school counseling', 'teaching background', 'licence']],
    ['Corporate Trainer', ['public speaking', 'training delivery', 'curriculum design', 'coaching', 'facilitation'], ['helping people grow', 'variety', 'recognition'], ['subject expert turned trainer', 'hr or learning role', 'training certificate']],
    ['Librarian', ['research', 'information organization', 'cataloging', 'community programs', 'customer service'], ['knowledge', 'community', 'helping people'], ['masters in library science', 'library assistant role', 'archives volunteering']],
  ]),
  ...field('Skilled trades', [
    ['Electrician', ['electrical wiring', 'reading blueprints', 'troubleshooting', 'safety procedures', 'working with hands'], ['working with hands', 'independence', 'job security'], ['apprenticeship', 'trade school', 'journeyman licence']],
    ['Plumber', ['pipe fitting', 'troubleshooting', 'reading blueprints', 'customer service', 'working with hands'], ['independence', 'job security', 'practical work'], ['apprenticeship', 'trade school', 'plumbing licence']],
    ['Carpenter', ['woodworking', 'measuring', 'reading blueprints', 'power tools', 'working with hands'], ['building things', 'craftsmanship', 'working outdoors'], ['apprenticeship', 'construction labourer start', 'trade college']],
    ['HVAC Technician', ['heating and cooling systems', 'troubleshooting', 'electrical systems', 'customer service', 'maintenance'], ['job security', 'problem solving', 'variety'], ['hvac certificate', 'apprenticeship', 'epa certification']],
    ['Welder', ['welding', 'metal fabrication', 'reading blueprints', 'safety procedures', 'precision'], ['craftsmanship', 'working with hands', 'stability'], ['welding school', 'certification tests', 'apprenticeship']],
    ['Automotive Technician', ['vehicle diagnostics', 'mechanical repair', 'troubleshooting', 'electrical systems', 'customer service'], ['working with hands', 'problem solving', 'independence'], ['automotive program', 'ase certification', 'dealership apprenticeship']],
    ['Construction Manager', ['project management', 'scheduling', 'budgeting', 'leadership', 'safety procedures', 'negotiation'], ['leadership', 'building things', 'responsibility'], ['construction management degree', 'rise from a trade', 'site supervisor role']],
    ['Machinist', ['cnc machining', 'precision measurement', 'reading blueprints', 'quality control', 'manual dexterity'], ['precision', 'craftsmanship', 'stability'], ['machining certificate', 'apprenticeship', 'manufacturing entry role']],
    ['Landscaper', ['planting', 'garden design', 'equipment operation', 'physical stamina', 'working outdoors'], ['working outdoors', 'nature', 'independence'], ['on the job training', 'horticulture certificate', 'own small business']],
    ['Solar Panel Installer', ['electrical wiring', 'working at heights', 'safety procedures', 'power tools', 'teamwork'], ['sustainability', 'working outdoors', 'impact'], ['solar installer training', 'electrician apprenticeship', 'nabcep certification']],
  ]),
  ...field('Creative', [
    ['Graphic Designer', ['graphic design', 'typography', 'adobe creative suite', 'branding', 'illustration', 'layout'], ['creativity', 'self expression', 'variety'], ['design degree', 'portfolio', 'freelance projects']],
    ['Writer', ['writing', 'storytelling', 'editing', 'research', 'self discipline'], ['creativity', 'independence', 'self expression'], ['published samples', 'journalism or english degree', 'freelance work']],
    ['Journalist', ['writing', 'interviewing', 'research', 'fact checking', 'meeting deadlines'], ['truth', 'curiosity', 'public impact'], ['journalism degree', 'student newspaper', 'local news internship']],
    ['Photographer', ['photography', 'photo editing', 'lighting', 'composition', 'client communication'], ['creativity', 'independence', 'variety'], ['portfolio', 'assistant to a photographer', 'photography course']],
    ['Video Editor', ['video editing', 'storytelling', 'motion graphics', 'sound editing', 'attention to detail'], ['creativity', 'craftsmanship', 'flexibility'], ['film school', 'showreel', 'production assistant role']],
    ['Musician', ['music performance', 'composition', 'practice discipline', 'collaboration', 'teaching music'], ['self expression', 'creativity', 'passion'], ['conservatory', 'gigging and recording', 'teaching lessons']],
    ['Interior Designer', ['space planning', 'color theory', 'drawing', 'client communication', 'project management'], ['creativity', 'beauty', 'helping people'], ['interior design degree', 'design assistant role', 'portfolio']],
    ['Animator', ['animation', 'drawing', 'storytelling', '3d modeling', 'attention to detail'], ['creativity', 'imagination', 'collaboration'], ['animation degree', 'demo reel', 'studio internship']],
    ['Content Creator', ['video production', 'social media', 'writing', 'storytelling', 'audience building'], ['self expression', 'independence', 'flexibility'], ['build an audience', 'freelance content work', 'marketing role']],
  ]),
  ...field('Business', [
    ['Accountant', ['accounting', 'bookkeeping', 'spreadsheets', 'tax preparation', 'attention to detail', 'financial reporting'], ['accuracy', 'stability', 'integrity'], ['accounting degree', 'cpa or chartered qualification', 'bookkeeper route']],
    ['Financial Analyst', ['financial modeling', 'spreadsheets', 'data analysis', 'forecasting', 'reporting'], ['achievement', 'analytical thinking', 'financial reward'], ['finance degree', 'cfa program', 'analyst program']],
    ['Marketing Manager', ['marketing strategy', 'campaign management', 'social media', 'copywriting', 'data analysis', 'branding'], ['creativity', 'influence', 'achievement'], ['marketing degree', 'marketing coordinator role', 'agency experience']],
    ['Sales Representative', ['sales', 'negotiation', 'relationship building', 'communication', 'persuasion', 'resilience'], ['financial reward', 'achievement', 'independence'], ['entry sales role', 'business development representative', 'retail to b2b sales']],
    ['Human Resources Specialist', ['recruiting', 'employee relations', 'interviewing', 'employment law', 'communication'], ['helping people', 'fairness', 'teamwork'], ['hr degree', 'hr certificate', 'recruitment coordinator role']],
    ['Project Manager', ['project management', 'planning', 'scheduling', 'risk management', 'stakeholder management', 'leadership'], ['organization', 'leadership', 'achievement'], ['pmp certificate', 'coordinator role', 'move from a delivery team']],
    ['Operations Manager', ['operations management', 'process improvement', 'budgeting', 'leadership', 'problem solving'], ['efficiency', 'leadership', 'responsibility'], ['business degree', 'team lead promotion', 'supply chain experience']],
    ['Management Consultant', ['problem solving', 'data analysis', 'presentations', 'stakeholder management', 'business strategy'], ['variety', 'impact', 'continuous learning'], ['mba', 'graduate consulting program', 'industry expert move']],
    ['Entrepreneur', ['business strategy', 'sales', 'leadership', 'budgeting', 'resilience', 'networking'], ['independence', 'autonomy', 'building things'], ['start a small business', 'startup accelerator', 'side project grown']],
    ['Customer Success Manager', ['customer service', 'relationship building', 'problem solving', 'communication', 'product knowledge'], ['helping people', 'teamwork', 'stability'], ['customer support role', 'account management', 'saas company entry role']],
    ['Supply Chain Analyst', ['logistics', 'inventory management', 'data analysis', 'spreadsheets', 'forecasting'], ['efficiency', 'problem solving', 'stability'], ['supply chain degree', 'warehouse or purchasing role', 'apics certificate']],
    ['Event Planner', ['event planning', 'budgeting', 'negotiation', 'organization', 'vendor management'], ['variety', 'creativity', 'working with people'], ['hospitality degree', 'event assistant role', 'volunteer events']],
  ]),
  ...field('Public service', [
    ['Social Worker', ['case management', 'counseling', 'advocacy', 'crisis intervention', 'empathy'], ['social justice', 'helping people', 'community'], ['social work degree', 'msw', 'licence']],
    ['Police Officer', ['law enforcement', 'conflict resolution', 'physical fitness', 'report writing', 'staying calm under pressure'], ['protecting others', 'community', 'justice'], ['police academy', 'criminal justice degree', 'community support officer']],
    ['Firefighter', ['firefighting', 'emergency care', 'physical fitness', 'teamwork', 'staying calm under pressure'], ['protecting others', 'teamwork', 'adventure'], ['fire academy', 'emt certificate', 'volunteer firefighter']],
    ['Policy Analyst', ['policy research', 'writing', 'data analysis', 'economics', 'presenting findings'], ['public impact', 'justice', 'curiosity'], ['public policy degree', 'government internship', 'think tank research assistant']],
    ['Urban Planner', ['urban planning', 'gis', 'community engagement', 'zoning regulations', 'report writing'], ['community', 'sustainability', 'long term impact'], ['planning degree', 'planning technician role', 'masters in urban planning']],
    ['Nonprofit Program Manager', ['program management', 'grant writing', 'volunteer coordination', 'budgeting', 'community outreach'], ['social justice', 'meaningful work', 'community'], ['volunteer to staff', 'program coordinator role', 'nonprofit management certificate']],
    ['Lawyer', ['legal research', 'writing', 'negotiation', 'public speaking', 'critical thinking'], ['justice', 'achievement', 'intellectual challenge'], ['law degree', 'bar exam', 'paralegal experience']],
    ['Paralegal', ['legal research', 'document preparation', 'attention to detail', 'case management', 'writing'], ['justice', 'organization', 'stability'], ['paralegal certificate', 'legal secretary role', 'law firm entry role']],
    ['Diplomat', ['foreign languages', 'negotiation', 'cultural awareness', 'writing', 'public speaking'], ['public service', 'adventure', 'impact'], ['foreign service exam', 'international relations degree', 'government service']],
  ]),
  ...field('Science', [
    ['Research Scientist', ['research', 'experiment design', 'data analysis', 'scientific writing', 'laboratory techniques'], ['curiosity', 'discovery', 'intellectual challenge'], ['phd', 'research assistant role', 'postdoctoral fellowship']],
    ['Environmental Scientist', ['field research', 'data analysis', 'environmental regulations', 'sampling', 'report writing'], ['sustainability', 'nature', 'impact'], ['environmental science degree', 'field technician role', 'consultancy graduate program']],
    ['Chemist', ['chemistry', 'laboratory techniques', 'analytical instruments', 'quality control', 'documentation'], ['discovery', 'accuracy', 'curiosity'], ['chemistry degree', 'lab technician role', 'graduate research']],
    ['Biologist', ['biology', 'field research', 'laboratory techniques', 'data analysis', 'scientific writing'], ['nature', 'discovery', 'curiosity'], ['biology degree', 'research assistant role', 'graduate study']],
    ['Lab Technician', ['laboratory techniques', 'sample preparation', 'quality control', 'lab equipment', 'record keeping'], ['accuracy', 'stability', 'science'], ['associate degree in science', 'on the job training', 'technician apprenticeship']],
    ['Civil Engineer', ['structural analysis', 'cad', 'project management', 'mathematics', 'building codes'], ['building things', 'public impact', 'stability'], ['civil engineering degree', 'engineer in training', 'professional engineer licence']],
    ['Mechanical Engineer', ['mechanical design', 'cad', 'mathematics', 'prototyping', 'problem solving'], ['building things', 'innovation', 'problem solving'], ['mechanical engineering degree', 'engineering internship', 'technician to engineer route']],
    ['Geologist', ['geology', 'field research', 'mapping', 'gis', 'data analysis'], ['nature', 'working outdoors', 'discovery'], ['geology degree', 'field assistant role', 'masters in geoscience']],
    ['Statistician', ['statistics', 'mathematics', 'statistical software', 'experiment design', 'data analysis'], ['accuracy', 'intellectual challenge', 'curiosity'], ['statistics degree', 'masters in statistics', 'analyst role']],
  ]),
  ...field('Hospitality and services', [
    ['Chef', ['cooking', 'menu planning', 'food safety', 'kitchen management', 'creativity', 'working under pressure'], ['creativity', 'craftsmanship', 'teamwork'], ['culinary school', 'kitchen apprenticeship', 'line cook start']],
    ['Hotel Manager', ['hospitality management', 'customer service', 'leadership', 'budgeting', 'problem solving'], ['working with people', 'leadership', 'variety'], ['hospitality degree', 'front desk to management', 'hotel management trainee']],
    ['Personal Trainer', ['fitness training', 'exercise planning', 'motivation', 'nutrition', 'coaching'], ['health', 'helping people', 'independence'], ['personal training certification', 'gym floor role', 'sports science degree']],
    ['Flight Attendant', ['customer service', 'safety procedures', 'staying calm under pressure', 'foreign languages', 'teamwork'], ['travel', 'adventure', 'working with people'], ['airline training program', 'customer service background', 'first aid certificate']],
  ]),
  ...field('Environment and agriculture', [
    ['Farmer', ['crop management', 'animal care', 'equipment operation', 'business planning', 'working outdoors'], ['nature', 'independence', 'working outdoors'], ['family farm', 'agriculture college', 'farm apprenticeship']],
    ['Forester', ['forest management', 'field research', 'gis', 'conservation', 'working outdoors'], ['nature', 'sustainability', 'working outdoors'], ['forestry degree', 'seasonal field crew', 'forest technician certificate']],
    ['Conservation Officer', ['wildlife conservation', 'law enforcement', 'public education', 'field research', 'physical fitness'], ['nature', 'protecting others', 'working outdoors'], ['conservation degree', 'park ranger seasonal role', 'academy training']],
    ['Sustainability Coordinator', ['sustainability reporting', 'project management', 'data analysis', 'stakeholder engagement', 'environmental regulations'], ['sustainability', 'impact', 'innovation'], ['environmental degree', 'green team volunteer to role', 'sustainability certificate']],
  ]),
  ...field('Transport and logistics', [
    ['Truck Driver', ['driving', 'route planning', 'vehicle inspection', 'time management', 'safety procedures'], ['independence', 'travel', 'stability'], ['commercial driving licence', 'company training program', 'local delivery start']],
    ['Airline Pilot', ['flying', 'navigation', 'decision making', 'staying calm under pressure', 'teamwork'], ['adventure', 'travel', 'responsibility'], ['flight school', 'military aviation', 'cadet program']],
    ['Logistics Coordinator', ['logistics', 'scheduling', 'inventory management', 'communication', 'problem solving'], ['organization', 'efficiency', 'teamwork'], ['warehouse role', 'logistics certificate', 'supply chain degree']],
  ]),
];

const BY_ID = new Map(CATALOGUE.map((role) => [role.id, role]));

export function findRole(roleId: string): CatalogueRole | undefined {
  return BY_ID.get(roleId);
}
